"""Reads for the Redemption Reports screen: scoped to a retailer, filtered, a fixed query count."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from .models import Distributor, DistributorReport, Location, Program, ReportState, Retailer


@dataclass(frozen=True)
class ReportFilters:
    since: date | None = None
    until: date | None = None
    program_id: int | None = None
    distributor_id: int | None = None
    location_id: int | None = None
    state: str = ""


def redemption_reports(*, retailer: Retailer, filters: ReportFilters) -> QuerySet:
    """Newest first, with everything a row shows loaded in the same query."""
    reports = DistributorReport.objects.filter(retailer=retailer).select_related(
        "distributor",
        "redemption__card__program_card__program",
        "redemption__card__owner",
        "redemption__item",
        "redemption__location",
    )
    if filters.since:
        reports = reports.filter(created_at__date__gte=filters.since)
    if filters.until:
        reports = reports.filter(created_at__date__lte=filters.until)
    if filters.program_id:
        reports = reports.filter(redemption__card__program_card__program_id=filters.program_id)
    if filters.distributor_id:
        reports = reports.filter(distributor_id=filters.distributor_id)
    if filters.location_id:
        reports = reports.filter(redemption__location_id=filters.location_id)
    if filters.state in ReportState.values:
        reports = reports.filter(state=filters.state)
    return reports.order_by("-created_at", "-pk")


def filter_choices(*, retailer: Retailer) -> dict:
    """What the filter form offers: only this retailer's programs, distributors and locations."""
    reported = DistributorReport.objects.filter(retailer=retailer)
    return {
        "programs": Program.objects.filter(cards__owner_cards__redemptions__reports__in=reported)
        .distinct()
        .order_by("name"),
        "distributors": Distributor.objects.filter(reports__in=reported).distinct(),
        "locations": Location.objects.filter(retailer=retailer).order_by("name"),
        "states": ReportState.choices,
    }
