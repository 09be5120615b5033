"""The reconcile runs an admin sees: the last one of their store."""

from loyalty.models import ReconcileRun, Retailer


def last_reconcile_run(*, retailer: Retailer) -> ReconcileRun | None:
    return ReconcileRun.objects.filter(retailer=retailer).order_by("-ran_at", "-id").first()
