"""Reads for the readiness probe: how far behind the distributor report sending is."""

from datetime import datetime

from loyalty.models import DistributorReport, ReportState
from loyalty.models.programs import DeliveryMethod


def oldest_pending_report_at() -> datetime | None:
    """When the oldest report still waiting to be sent was written (SPEC §6); reports held for a
    distributor with no delivery method yet are not waiting on us and are left out."""
    return (
        DistributorReport.objects.filter(state=ReportState.PENDING)
        .exclude(distributor__delivery_method=DeliveryMethod.HOLD)
        .order_by("created_at", "id")
        .values_list("created_at", flat=True)
        .first()
    )
