"""`manage.py seed_demo`: load the demo data (idempotent) and print how to log in."""

import json
from argparse import ArgumentParser
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from demo.api_retailer import seed_api_retailer
from demo.heartland_sandbox import seed_heartland
from demo.heartland_store import load_heartland_store
from demo.lightspeed_sandbox import seed_sandbox
from demo.lightspeed_x_sandbox import seed_xseries_store
from demo.people_data import DEMO_RETAILER
from demo.rest_register import seed_rest_register
from demo.seed import seed
from demo.summary import DEFAULT_BASE_URL, as_text, build_summary
from loyalty.models import Distributor, Location, Retailer
from loyalty.models.programs import DeliveryMethod
from simulators.distributor.models import ReceiverState


class Command(BaseCommand):
    help = (
        "Load the demo retailers, catalog, programs and pet owners with six months of history. "
        "Safe to run again: nothing is created twice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--owners",
            type=int,
            default=0,
            metavar="N",
            help="Also make sure N quick benchmark pet owners (Bench1..BenchN) exist.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print only one JSON object (logins, retailers, locations, owners).",
        )
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            metavar="URL",
            help=(
                "Where this site is served; the Astro Loyalty button URLs and the Lightspeed "
                f"sandbox's addresses start with it (default {DEFAULT_BASE_URL})."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["owners"] < 0:
            raise CommandError("--owners must be 0 or more.")
        base_url = options["base_url"].rstrip("/")
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
            raise CommandError("--base-url must look like http://127.0.0.1:8000 (no path).")
        added = seed(bench_owners=options["owners"])
        sandbox = _seed_lightspeed_sandbox(base_url) if settings.POS_SANDBOX_ENABLED else None
        if settings.POS_SANDBOX_ENABLED:
            _deliver_to_receiver_sandbox(base_url)
        summary = build_summary(base_url=base_url, sandbox=sandbox)
        summary["api"] = seed_api_retailer(base_url=base_url)
        summary["heartland_sandbox"] = _seed_heartland(base_url)
        # One demo store per POS, each with its own logins and register (issue 14).
        summary["lightspeed_x_sandbox"] = (
            seed_xseries_store(base_url=base_url) if settings.POS_SANDBOX_ENABLED else None
        )
        summary["rest_register_sandbox"] = (
            seed_rest_register(base_url=base_url) if settings.POS_SANDBOX_ENABLED else None
        )
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(as_text(summary))
        if options["owners"]:
            self.stdout.write(f"Benchmark owners: {added} added, {options['owners']} wanted.")


def _seed_lightspeed_sandbox(base_url: str) -> dict[str, str]:
    retailer = Retailer.objects.get(name=DEMO_RETAILER)
    locations = Location.objects.filter(retailer=retailer).order_by("pk")
    return seed_sandbox(retailer=retailer, locations=locations, base_url=base_url)


def _seed_heartland(base_url: str) -> dict[str, Any] | None:
    """The Heartland Retail store; with the sandbox on, also its register and connection."""
    if settings.POS_SANDBOX_ENABLED:
        return seed_heartland(base_url=base_url)
    load_heartland_store()
    return None


def _deliver_to_receiver_sandbox(base_url: str) -> None:
    """The demo's distributors receive signed JSON at the receiver sandbox, so a redemption's
    report really goes out (the Temporary Holding Distributor keeps holding)."""
    Distributor.objects.filter(is_temporary_holding=False).update(
        delivery_method=DeliveryMethod.HTTPS,
        endpoint_url=f"{base_url}/sandbox/distributor/reports/",
        signing_secret=settings.DISTRIBUTOR_SANDBOX_SECRET,
        # SPEC §6: the sandbox answers credited/declined at Astro's signed callback.
        callback_secret=settings.DISTRIBUTOR_SANDBOX_SECRET,
    )
    ReceiverState.current()
    ReceiverState.objects.filter(pk=1).update(
        callback_url=f"{base_url}{reverse('distributor_credit_status')}"
    )
