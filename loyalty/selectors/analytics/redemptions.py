"""The redemption history report: punches and redemptions, its table, CSV export and chart."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, DateField, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Trunc

from loyalty.models import DistributorReport, Enrollment, Purchase, Redemption, Retailer
from loyalty.models.cards import PurchaseState
from loyalty.presentation import charts
from loyalty.selectors.analytics.filters import ReportFilters

# --- Punches and redemptions, the two series of both charts ---------------------------------


def _card_rows(model, moment: str, *, retailer: Retailer, filters: ReportFilters) -> QuerySet:
    """Rows on cards in the range, of real owners only, narrowed by program and location."""
    rows = model.objects.filter(
        retailer=retailer,
        card__owner__is_test=False,
        **{f"{moment}__gte": filters.since, f"{moment}__lt": filters.until},
    )
    if filters.program_id:
        rows = rows.filter(card__program_card__program_id=filters.program_id)
    if filters.location_id:
        rows = rows.filter(location_id=filters.location_id)
    return rows


def punches(*, retailer: Retailer, filters: ReportFilters) -> QuerySet[Purchase]:
    """Active punches (SPEC §3: one row per punch)."""
    rows = _card_rows(Purchase, "purchased_at", retailer=retailer, filters=filters)
    rows = rows.filter(state=PurchaseState.ACTIVE)
    if filters.distributor_id:
        # Punches have no distributor of their own: the store's enrollments with it decide.
        served = Enrollment.objects.filter(retailer=retailer, distributor_id=filters.distributor_id)
        rows = rows.filter(card__program_card__program_id__in=served.values("program_id"))
    return rows


def redemptions(*, retailer: Retailer, filters: ReportFilters) -> QuerySet[Redemption]:
    """Redemptions that were not undone (an undone one gave nothing away)."""
    rows = _card_rows(Redemption, "redeemed_at", retailer=retailer, filters=filters)
    rows = rows.filter(undone_at__isnull=True)
    if filters.distributor_id:
        sent_to = DistributorReport.objects.filter(
            redemption=OuterRef("pk"), distributor_id=filters.distributor_id
        )
        rows = rows.filter(Exists(sent_to))
    return rows


def redemption_rows(*, retailer: Retailer, filters: ReportFilters) -> QuerySet[Redemption]:
    """The table and the CSV: newest first, everything a row shows in the same query."""
    return (
        redemptions(retailer=retailer, filters=filters)
        .select_related("card__owner", "card__program_card__program", "item", "location", "cashier")
        .order_by("-redeemed_at", "-pk")
    )


EXPORT_FIELDS = (
    "redeemed_at", "reward_id", "card__owner__first_name", "card__owner__last_name",
    "card__program_card__program__name", "card__program_card__name", "card_id",
    "item__description", "item__gtin", "item__item_number", "location__name",
    "cashier__first_name", "cashier__last_name", "cashier__username",
)  # fmt: skip


def redemption_export(*, retailer: Retailer, filters: ReportFilters) -> Iterator[tuple]:
    """The table's rows as plain tuples, streamed in chunks: 100,000 rows never sit in memory
    and no model instances are built (they cost more than the query)."""
    rows = redemptions(retailer=retailer, filters=filters).order_by("-redeemed_at", "-pk")
    return rows.values_list(*EXPORT_FIELDS, named=True).iterator(chunk_size=2000)


@dataclass
class ProgramActivity:
    program_id: int
    name: str
    punches: int = 0
    redemptions: int = 0


@dataclass
class Activity:
    """Punches and redemptions per program, and the chart of both over time."""

    chart: charts.BarChart
    by_program: list[ProgramActivity] = field(default_factory=list)

    @property
    def punches(self) -> int:
        return sum(row.punches for row in self.by_program)

    @property
    def redemptions(self) -> int:
        return sum(row.redemptions for row in self.by_program)


def _per_period(rows: QuerySet, moment: str, unit: str) -> QuerySet:
    """(period, program id, program name, count) rows: a few hundred whatever the row count."""
    period = Trunc(moment, unit, output_field=DateField())
    return (
        rows.annotate(period=period)
        .values(
            "period",
            program=F("card__program_card__program_id"),
            name=F("card__program_card__program__name"),
        )
        .annotate(count=Count("pk"))
        .order_by()
    )


def activity(
    *, punch_rows: QuerySet, redemption_rows: QuerySet, filters: ReportFilters
) -> Activity:
    """Totals per program and the chart, from two grouped queries."""
    unit = filters.unit
    periods = charts.period_starts(filters.start, filters.end, unit)
    programs: dict[int, ProgramActivity] = {}
    series: dict[str, dict[date, int]] = {"Punches": {}, "Redemptions": {}}
    for name, rows, moment in (
        ("Punches", punch_rows, "purchased_at"),
        ("Redemptions", redemption_rows, "redeemed_at"),
    ):
        for row in _per_period(rows, moment, unit):
            totals = programs.setdefault(
                row["program"], ProgramActivity(row["program"], row["name"])
            )
            setattr(totals, name.lower(), getattr(totals, name.lower()) + row["count"])
            series[name][row["period"]] = series[name].get(row["period"], 0) + row["count"]
    chart = charts.grouped_bar_chart(
        title=f"Punches and redemptions per {unit}",
        labels=[charts.axis_label(period) for period in periods],
        long_labels=[charts.period_label(period, unit) for period in periods],
        period_name=unit,
        series=[(name, charts.fill_periods(periods, counts)) for name, counts in series.items()],
    )
    by_program = sorted(programs.values(), key=lambda row: (row.name, row.program_id))
    return Activity(chart=chart, by_program=by_program)


def redemption_report(*, retailer: Retailer, filters: ReportFilters) -> Activity:
    return activity(
        punch_rows=punches(retailer=retailer, filters=filters),
        redemption_rows=redemptions(retailer=retailer, filters=filters),
        filters=filters,
    )
