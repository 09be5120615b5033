"""Switch the distributor receiver sandbox, or print what it received as JSON."""

import json

from django.core.management.base import BaseCommand

from simulators.distributor.models import Delivery, Mode, ReceiverState
from simulators.distributor.views import stats


class Command(BaseCommand):
    help = (
        "Set the receiver sandbox's mode or where it answers (--callback-url), print its stats "
        "(--stats), or empty it (--reset). Its page answers each claim: credited or declined."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mode", choices=Mode.values)
        parser.add_argument("--delay", type=float, help="seconds a slow answer waits")
        parser.add_argument("--stats", action="store_true")
        parser.add_argument("--reset", action="store_true")
        parser.add_argument(
            "--callback-url", help="where its credit-status answers go (Astro's callback URL)"
        )

    def handle(self, *args, mode=None, delay=None, reset=False, **options):
        ReceiverState.current()
        if reset:
            Delivery.objects.all().delete()
            ReceiverState.objects.filter(pk=1).update(mode=Mode.UP, duplicates_refused=0)
        changes: dict = {"mode": mode} if mode else {}
        if delay is not None:
            changes["delay_seconds"] = delay
        if options.get("callback_url") is not None:
            changes["callback_url"] = options["callback_url"]
        if changes:
            ReceiverState.objects.filter(pk=1).update(**changes)
        if options["stats"]:
            self.stdout.write(json.dumps(stats(), sort_keys=True))
        elif changes or reset:
            self.stdout.write(f"Receiver sandbox is {ReceiverState.current().mode}.")
