"""`manage.py create_api_key --location <id or name>`: issue a location's API key once."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from integrations.api_v1.credentials import issue_key
from loyalty.contracts.registry import full_integration_systems
from loyalty.errors import DomainError
from loyalty.models import Location


class Command(BaseCommand):
    help = (
        "Issue an API username and key for a location's POS. The key is printed once and "
        "stored only as a hash; revoke it on the POS API settings screen."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--location", required=True, help="The location's id or its name.")
        parser.add_argument(
            "--retailer", default="", help="The retailer's name, when location names repeat."
        )
        parser.add_argument(
            "--pos-system",
            default="",
            choices=["", *full_integration_systems()],
            help="Turn the API on for this POS system if the store has no integration yet.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        location = _find_location(options["location"], options["retailer"])
        try:
            issued = issue_key(location=location, actor=None, pos_system=options["pos_system"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Location: {location.retailer.name}, {location.name}")
        self.stdout.write(f"API username: {issued.credential.username}")
        self.stdout.write(f"API key: {issued.key}")
        self.stdout.write("Copy the key now: it is not shown again.")


def _find_location(value: str, retailer_name: str) -> Location:
    locations = Location.objects.select_related("retailer")
    if retailer_name:
        locations = locations.filter(retailer__name=retailer_name)
    found = list(locations.filter(pk=int(value)) if value.isdigit() else [])
    found = found or list(locations.filter(name=value))
    if not found:
        raise CommandError(f"No location has the id or name {value!r}.")
    if len(found) > 1:
        raise CommandError(
            f"{len(found)} locations are named {value!r}: pass its id, or add --retailer."
        )
    return found[0]
