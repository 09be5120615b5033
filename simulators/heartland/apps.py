"""App config for the Heartland Retail sandbox."""

from django.apps import AppConfig


class HeartlandSandboxConfig(AppConfig):
    name = "simulators.heartland"
    # "heartland" is the real integration's label; the sandbox's tables must never mix with it.
    label = "heartland_sandbox"
    verbose_name = "Heartland Retail sandbox"
