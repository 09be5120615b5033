"""Reads for the Redemption Reports screen: scoped to a retailer, filtered, a fixed query count."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat

from loyalty.models import (
    Distributor,
    DistributorReport,
    Location,
    Offer,
    Program,
    ReportKind,
    ReportState,
    Retailer,
)
from loyalty.services.distributor_reports.payloads import qualifying_item_description

# The reports that claim a free good's credit (a correction that cancels, or a reopen request,
# claims nothing; a cancel-and-replace claims its replacement).
CLAIM_KINDS = (ReportKind.REDEMPTION, ReportKind.OFFER_REDEMPTION, ReportKind.CANCEL_AND_REPLACE)


@dataclass(frozen=True)
class ReportFilters:
    since: date | None = None
    until: date | None = None
    program_id: int | None = None
    offer_id: int | None = None
    distributor_id: int | None = None
    location_id: int | None = None
    state: str = ""


def redemption_reports(*, retailer: Retailer, filters: ReportFilters) -> QuerySet:
    """Newest first, with everything a row shows loaded in the same query."""
    reports = report_rows(retailer=retailer)
    if filters.since:
        reports = reports.filter(created_at__date__gte=filters.since)
    if filters.until:
        reports = reports.filter(created_at__date__lte=filters.until)
    if filters.program_id:
        reports = reports.filter(redemption__card__program_card__program_id=filters.program_id)
    if filters.offer_id:
        reports = reports.filter(offer_redemption__offer_id=filters.offer_id)
    if filters.distributor_id:
        reports = reports.filter(distributor_id=filters.distributor_id)
    if filters.location_id:
        reports = reports.filter(
            Q(redemption__location_id=filters.location_id)
            | Q(offer_redemption__location_id=filters.location_id)
        )
    if filters.state in ReportState.values:
        reports = reports.filter(state=filters.state)
    return reports.order_by("-created_at", "-pk")


def report_rows(*, retailer: Retailer) -> QuerySet:
    """The store's reports with what a row shows: a card's redemption, or an offer applied to a
    sale with its first qualifying item (a subquery, so the list stays one query)."""
    return (
        DistributorReport.objects.filter(retailer=retailer)
        .select_related(
            "distributor",
            "redemption__card__program_card__program",
            "redemption__card__owner",
            "redemption__item",
            "redemption__location",
            "offer_redemption__offer",
            "offer_redemption__owner",
            "offer_redemption__location",
            "corrected_item",
        )
        .annotate(offer_item=Subquery(qualifying_item_description("offer_redemption")))
    )


def filter_choices(*, retailer: Retailer) -> dict:
    """What the filter form offers: only this retailer's programs, distributors and locations."""
    reported = DistributorReport.objects.filter(retailer=retailer)
    programs = Program.objects.filter(cards__owner_cards__redemptions__reports__in=reported)
    offers = Offer.objects.filter(redemptions__reports__in=reported)
    # One list (and one query) for the Program select: programs, then offers, each by name.
    # The option value tells them apart: "12" is a program, "offer-3" an offer.
    both = (
        programs.annotate(value=Cast("pk", CharField()), rank=Value(0))
        .values("value", "name", "rank")
        .order_by()
        .union(
            offers.annotate(value=Concat(Value("offer-"), Cast("pk", CharField())), rank=Value(1))
            .values("value", "name", "rank")
            .order_by()
        )
        .order_by("rank", "name")
    )
    return {
        "programs": both,
        "distributors": Distributor.objects.filter(reports__in=reported).distinct(),
        "locations": Location.objects.filter(retailer=retailer).order_by("name"),
        "states": ReportState.choices,
    }


def claim_for_callback(*, report_id: str) -> DistributorReport | None:
    """The report a credit-status callback names, with its distributor (whose secret must have
    signed the callback); None for an unknown id or no UUID at all."""
    try:
        key = uuid.UUID(report_id)
    except ValueError:
        return None
    return DistributorReport.objects.select_related("distributor").filter(pk=key).first()


def claims_by_key(*, retailer: Retailer, keys: list[str]) -> dict[str, DistributorReport]:
    """The store's claims a credit file names, by report id or reward id (casefolded keys).
    A reward id names its claim, not a correction or reopen request of it."""
    ids = []
    for key in keys:
        try:
            ids.append(uuid.UUID(key))
        except ValueError:
            continue
    rewards = [key.upper() for key in keys if key.upper().startswith("R-")]
    claims = report_rows(retailer=retailer).filter(
        Q(pk__in=ids)
        | Q(kind__in=CLAIM_KINDS)
        & (Q(redemption__reward_id__in=rewards) | Q(offer_redemption__reward_id__in=rewards))
    )
    found: dict[str, DistributorReport] = {}
    for report in claims:
        found[str(report.pk)] = report
        if report.kind in CLAIM_KINDS:
            reward = (report.offer_redemption or report.redemption).reward_id
            found[reward.casefold()] = report
    return found


def report_history(*, report: DistributorReport) -> QuerySet:
    """The report's credit-status changes, oldest first, with who made them."""
    return report.status_changes.select_related("actor").order_by("at", "pk")
