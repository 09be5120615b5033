"""`manage.py seed_demo`: load the demo data (idempotent) and print how to log in."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from loyalty.demo.seed import seed
from loyalty.demo.summary import as_text, build_summary


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

    def handle(self, *args: Any, **options: Any) -> None:
        if options["owners"] < 0:
            raise CommandError("--owners must be 0 or more.")
        added = seed(bench_owners=options["owners"])
        summary = build_summary()
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(as_text(summary))
        if options["owners"]:
            self.stdout.write(f"Benchmark owners: {added} added, {options['owners']} wanted.")
