"""Switch the distributor receiver sandbox, or print what it received as JSON."""

import json

from django.core.management.base import BaseCommand

from simulators.distributor.models import Delivery, Mode, ReceiverState
from simulators.distributor.views import stats


class Command(BaseCommand):
    help = "Set the receiver sandbox's mode, print its stats (--stats), or empty it (--reset)."

    def add_arguments(self, parser):
        parser.add_argument("--mode", choices=Mode.values)
        parser.add_argument("--delay", type=float, help="seconds a slow answer waits")
        parser.add_argument("--stats", action="store_true")
        parser.add_argument("--reset", action="store_true")

    def handle(self, *args, mode=None, delay=None, reset=False, **options):
        ReceiverState.current()
        if reset:
            Delivery.objects.all().delete()
            ReceiverState.objects.filter(pk=1).update(mode=Mode.UP, duplicates_refused=0)
        changes = {"mode": mode} if mode else {}
        if delay is not None:
            changes["delay_seconds"] = delay
        if changes:
            ReceiverState.objects.filter(pk=1).update(**changes)
        if options["stats"]:
            self.stdout.write(json.dumps(stats(), sort_keys=True))
        elif changes or reset:
            self.stdout.write(f"Receiver sandbox is {ReceiverState.current().mode}.")
