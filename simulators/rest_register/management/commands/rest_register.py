"""`manage.py rest_register send`: the register's scheduled task (Celerant, seed 000), which
sends what waits for Astro in order; `rest_register astro up|down` flips the demo's switch."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from simulators.rest_register.models import RegisterStore
from simulators.rest_register.outbox import send_queue


class Command(BaseCommand):
    help = (
        "The full-integration register sandbox: 'send' sends every queued sale, decision and "
        "redemption to Astro in order (run it from cron as the scheduled task); 'astro down' "
        "makes Astro unreachable for the register, 'astro up' reachable again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["send", "astro"])
        parser.add_argument("state", nargs="?", choices=["up", "down"])
        parser.add_argument("--store", metavar="CODE", help="One store's register (default all).")

    def handle(self, *args: Any, **options: Any) -> None:
        stores = RegisterStore.objects.order_by("pk")
        if options["store"]:
            stores = stores.filter(code=options["store"])
        if not stores.exists():
            raise CommandError("No register store: run manage.py seed_demo first.")
        if options["action"] == "astro":
            if options["state"] is None:
                raise CommandError("Say 'astro up' or 'astro down'.")
            down = options["state"] == "down"
            stores.update(astro_unreachable=down)
            word = "unreachable" if down else "reachable"
            self.stdout.write(f"Astro is {word} for the register.")
            return
        failed = False
        for store in stores:
            report = send_queue(store)
            self.stdout.write(f"{store.name}: {report.sentence}")
            failed = failed or bool(report.waiting)
        if failed:
            raise CommandError(
                "Some requests are still waiting for Astro; they go with the next run."
            )
