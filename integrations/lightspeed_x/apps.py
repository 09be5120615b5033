"""App config for the Lightspeed Retail X-Series integration (its connection and waiting sales)."""

from django.apps import AppConfig


class LightspeedXConfig(AppConfig):
    name = "integrations.lightspeed_x"
    label = "lightspeed_x"
    verbose_name = "Lightspeed Retail X-Series connection"
