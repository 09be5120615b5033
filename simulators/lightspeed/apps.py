"""App config for the Lightspeed R-Series sandbox."""

from django.apps import AppConfig


class LightspeedSandboxConfig(AppConfig):
    name = "simulators.lightspeed"
    # "lightspeed" is the real integration's label; the sandbox's tables must never mix with it.
    label = "lightspeed_sandbox"
    verbose_name = "Lightspeed R-Series sandbox"
