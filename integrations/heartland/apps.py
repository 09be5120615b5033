"""App config for the Heartland Retail integration (its connection table)."""

from django.apps import AppConfig


class HeartlandConfig(AppConfig):
    name = "integrations.heartland"
    label = "heartland"
    verbose_name = "Heartland Retail connection"
