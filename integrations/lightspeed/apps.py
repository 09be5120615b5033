"""App config for the Lightspeed integration (its connection table)."""

from django.apps import AppConfig


class LightspeedConfig(AppConfig):
    name = "integrations.lightspeed"
    label = "lightspeed"
    verbose_name = "Lightspeed Retail connection"
