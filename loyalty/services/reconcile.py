"""Recording a reconcile run of a retailer's books, for the admin's screen and the beat."""

from datetime import datetime

from django.db import transaction

from loyalty.models import ReconcileRun, Retailer
from loyalty.selectors.reconcile import Discrepancy, reconcile

# A run keeps this many findings on its row; the command prints them all.
KEPT_FINDINGS = 200


@transaction.atomic
def record_reconcile_run(
    *, retailer: Retailer, trigger: str, since: datetime | None = None
) -> tuple[ReconcileRun, list[Discrepancy]]:
    """Reconcile one retailer and keep the result (time, count, the first findings)."""
    found = reconcile(retailer=retailer, since=since)
    run = ReconcileRun.objects.create(
        retailer=retailer,
        trigger=trigger,
        discrepancies=len(found),
        findings=[d.as_dict() for d in found[:KEPT_FINDINGS]],
    )
    return run, found


def reconcile_all(*, trigger: str = "nightly") -> dict[int, int]:
    """Every retailer, one transaction each; retailer id -> discrepancies."""
    return {
        retailer.pk: record_reconcile_run(retailer=retailer, trigger=trigger)[0].discrepancies
        for retailer in Retailer.objects.order_by("pk")
    }
