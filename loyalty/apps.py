"""App config for the loyalty domain."""

from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    verbose_name = "Astro loyalty"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
