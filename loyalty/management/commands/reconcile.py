"""Reconcile the books: `manage.py reconcile [--retailer ID] [--since DATE] [--json]`.

Prints each discrepancy with the rows involved and exits 1 when there is any (0 when the books
add up). A full run (no --since) is recorded, so the store's admin sees it on Reconciliation."""

import json
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from loyalty.models import Retailer
from loyalty.selectors.reconcile import Discrepancy, reconcile
from loyalty.services.reconcile import record_reconcile_run


class Command(BaseCommand):
    help = "Check every retailer's cards, punches, points and distributor reports add up."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retailer", type=int, help="Only this retailer (its id).")
        parser.add_argument(
            "--since", help="Only rows made or touched since this day (YYYY-MM-DD)."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args, **options) -> None:
        since = _since(options["since"])
        retailers = Retailer.objects.order_by("pk")
        if options["retailer"] is not None:
            retailers = retailers.filter(pk=options["retailer"])
            if not retailers.exists():
                raise CommandError(f"No retailer has the id {options['retailer']}.")
        results = [(retailer, self._run(retailer, since)) for retailer in retailers]
        total = sum(len(found) for _, found in results)
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(results, total), indent=2))
        else:
            for retailer, found in results:
                self._print(retailer, found)
            self.stdout.write(f"{total} discrepancies in {len(results)} retailers.")
        if total:
            raise SystemExit(1)

    @staticmethod
    def _run(retailer: Retailer, since: datetime | None) -> list[Discrepancy]:
        if since is None:
            return record_reconcile_run(retailer=retailer, trigger="command")[1]
        return reconcile(retailer=retailer, since=since)

    def _print(self, retailer: Retailer, found: list[Discrepancy]) -> None:
        verdict = "OK" if not found else f"{len(found)} discrepancies"
        self.stdout.write(f"Retailer {retailer.pk} ({retailer.name}): {verdict}")
        for discrepancy in found:
            self.stdout.write(f"  [{discrepancy.check}] {discrepancy.message}")
            self.stdout.write(f"      rows: {discrepancy.rows_text()}")


def _since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--since “{raw}” is not a date; use YYYY-MM-DD.") from exc
    return timezone.make_aware(datetime.combine(day, time.min))


def _as_json(results, total: int) -> dict:
    return {
        "discrepancies": total,
        "retailers": [
            {
                "id": retailer.pk,
                "name": retailer.name,
                "ok": not found,
                "discrepancies": [d.as_dict() for d in found],
            }
            for retailer, found in results
        ],
    }
