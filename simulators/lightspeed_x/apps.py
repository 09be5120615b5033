"""App config for the Lightspeed X-Series sandbox (never installed in production)."""

from django.apps import AppConfig


class LightspeedXSandboxConfig(AppConfig):
    name = "simulators.lightspeed_x"
    label = "lightspeed_x_sandbox"
    verbose_name = "Lightspeed X-Series sandbox"
