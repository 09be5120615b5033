"""App config for the distributor receiver sandbox."""

from django.apps import AppConfig


class DistributorSandboxConfig(AppConfig):
    name = "simulators.distributor"
    label = "distributor_sandbox"
    verbose_name = "Distributor receiver sandbox"
