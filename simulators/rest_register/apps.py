"""App config for the full-integration register sandbox (a Pinogy/Celerant-style POS)."""

from django.apps import AppConfig


class RestRegisterConfig(AppConfig):
    name = "simulators.rest_register"
    label = "rest_register"
    verbose_name = "Full-integration register sandbox"
