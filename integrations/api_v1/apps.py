"""App config for the inbound REST API of fully integrated POS systems (SPEC §5)."""

from django.apps import AppConfig


class ApiV1Config(AppConfig):
    name = "integrations.api_v1"
    label = "api_v1"
    verbose_name = "POS REST API (v1)"

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the OpenAPI auth descriptions)
