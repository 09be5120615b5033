"""Reads for the retailer's Reports (SPEC §7): redemption history, custom program participation
and the points ledger.

Every read is scoped by `retailer=` and leaves out Sally Pet Owner (SPEC §3: a test account).
Totals and chart series are aggregated in the database (one grouped query per source), so a
screen runs the same number of queries for 1 row or 100,000.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Trunc
from django.utils import timezone

from loyalty.models import (
    Card,
    CashBackEntry,
    Distributor,
    DistributorReport,
    Enrollment,
    Location,
    PetOwner,
    PointsEntry,
    PrepaidPackage,
    PrepaidUse,
    Program,
    Purchase,
    Redemption,
    Retailer,
)
from loyalty.models.cards import COUNTED_STATES, PurchaseState
from loyalty.models.programs import CUSTOM_KINDS, ProgramKind
from loyalty.rules import charts

DEFAULT_DAYS = 30
CENT = Decimal("0.01")
MAX_DAYS = 731  # two years: beyond that a weekly chart stops being readable


@dataclass(frozen=True)
class ReportFilters:
    start: date
    end: date
    program_id: int | None = None
    location_id: int | None = None
    distributor_id: int | None = None

    @property
    def since(self) -> datetime:
        """The start of the first day in the store's time zone (the range includes both days)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def unit(self) -> str:
        return charts.period_unit(self.start, self.end)


def parse_filters(
    query: Mapping[str, str], *, today: date
) -> tuple[ReportFilters | None, list[str]]:
    """The GET form as filters; with any message, no filters, so nothing is shown by guesswork."""
    errors: list[str] = []

    def day(name: str, label: str, default: date) -> date | None:
        raw = (query.get(name) or "").strip()
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors.append(f"{label} “{raw}” is not a date. Use the calendar or type YYYY-MM-DD.")
            return None

    def number(name: str) -> int | None:
        raw = (query.get(name) or "").strip()
        if raw and not raw.isdigit():
            errors.append(f"Pick the {name} from the list.")
        return int(raw) if raw.isdigit() else None

    start = day("start", "From", today - timedelta(days=DEFAULT_DAYS - 1))
    end = day("end", "To", today)
    chosen = {name: number(name) for name in ("program", "location", "distributor")}
    if start and end and start > end:
        errors.append(f"“From” ({start:%b %-d, %Y}) is after “To” ({end:%b %-d, %Y}).")
    elif start and end and (end - start).days + 1 > MAX_DAYS:
        errors.append("Pick a range of two years or less.")
    if errors:
        return None, errors
    filters = ReportFilters(
        start=start,
        end=end,
        program_id=chosen["program"],
        location_id=chosen["location"],
        distributor_id=chosen["distributor"],
    )
    return filters, []


# --- What the filter forms offer: only this retailer's programs, locations, distributors -----


def store_programs(*, retailer: Retailer) -> list[Program]:
    """Manufacturer programs the store is enrolled in and the store's own programs."""
    enrolled = Enrollment.objects.filter(retailer=retailer).values("program_id")
    return list(
        Program.objects.filter(Q(retailer=retailer) | Q(pk__in=enrolled)).order_by("name", "pk")
    )


def custom_programs(*, retailer: Retailer) -> list[Program]:
    return list(
        Program.objects.filter(retailer=retailer, kind__in=CUSTOM_KINDS).order_by("name", "pk")
    )


def store_locations(*, retailer: Retailer) -> list[Location]:
    return list(Location.objects.filter(retailer=retailer).order_by("name"))


def store_distributors(*, retailer: Retailer) -> list[Distributor]:
    return list(Distributor.objects.filter(enrollments__retailer=retailer).distinct())


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


# --- Custom Program Participation (SPEC §2 My Custom Programs, §7) --------------------------


@dataclass
class Participation:
    program: Program
    participants: int = 0
    punches: int = 0
    redemptions: int = 0
    cards_completed: int = 0
    packages_sold: int | None = 0  # None: packages are not recorded per location
    visits_used: int = 0
    cash_back_accrued: Decimal = Decimal("0.00")
    cash_back_redeemed: Decimal = Decimal("0.00")

    # Which columns apply: punch cards, pre-paid visits or cash back (SPEC §2).
    @property
    def is_punch_card(self) -> bool:
        return self.program.kind == ProgramKind.BUY_X_GET_Y

    @property
    def is_prepaid(self) -> bool:
        return self.program.kind == ProgramKind.PREPAID

    @property
    def is_cash_back(self) -> bool:
        return self.program.kind == ProgramKind.CASH_BACK


def _money(amount: Decimal | None) -> Decimal:
    return Decimal(amount or 0).quantize(CENT)


# Each other activity: its table, when it happened, and the way to its program, its owner and
# its location (pre-paid packages are not recorded per location).
_ACTIVITIES = {  # fmt: skip
    "used": (
        PrepaidUse,
        "used_at",
        "package__plan__program_id",
        "package__owner",
        "visit__location_id",
    ),
    "cash": (CashBackEntry, "created_at", "plan__program_id", "owner", "visit__location_id"),
    "sold": (PrepaidPackage, "sold_at", "plan__program_id", "owner", None),
}


def _activity_rows(name: str, retailer: Retailer, filters: ReportFilters, ids: list[int]):
    model, moment, program, owner, location = _ACTIVITIES[name]
    rows = model.objects.filter(
        retailer=retailer,
        **{f"{moment}__gte": filters.since, f"{moment}__lt": filters.until},
        **{f"{owner}__is_test": False, f"{program}__in": ids},
    )
    if filters.location_id:
        rows = rows.filter(**{location: filters.location_id}) if location else rows.none()
    return rows.values(program_key=F(program), owner_key=F(f"{owner}_id")).order_by()


def _counts(rows: QuerySet) -> dict[int, int]:
    return {row["program_key"]: row["count"] for row in rows.annotate(count=Count("pk"))}


def _participants(sources: list[QuerySet]) -> dict[int, int]:
    """Distinct owners per program over every kind of activity: one UNION query, counted in SQL."""
    pairs = [rows.values("program_key", "owner_key") for rows in sources]
    sql, params = pairs[0].union(*pairs[1:]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT program_key, COUNT(*) FROM ({sql}) pairs GROUP BY program_key",  # noqa: S608
            params,
        )
        return dict(cursor.fetchall())


def _completed_cards(retailer: Retailer, filters: ReportFilters, ids: list[int]) -> QuerySet:
    cards = Card.objects.filter(
        retailer=retailer,
        completed_at__gte=filters.since,
        completed_at__lt=filters.until,
        owner__is_test=False,
        program_card__program_id__in=ids,
    )
    if filters.location_id:
        # A card has no location: it counts where the punch that completed it was made.
        last_punch = Purchase.objects.filter(card=OuterRef("pk"), state__in=COUNTED_STATES)
        last_location = last_punch.order_by("-purchased_at", "-pk").values("location_id")[:1]
        cards = cards.annotate(at=Subquery(last_location)).filter(at=filters.location_id)
    return cards.values(program_key=F("program_card__program_id")).order_by()


def _by_card_program(rows: QuerySet) -> QuerySet:
    return rows.values(
        program_key=F("card__program_card__program_id"), owner_key=F("card__owner_id")
    ).order_by()


def participation_report(
    *, retailer: Retailer, filters: ReportFilters, programs: list[Program]
) -> tuple[list[Participation], Activity]:
    """Per custom program: who took part and how, plus punches and redemptions over time."""
    ids = [program.pk for program in programs]
    scoped = ReportFilters(filters.start, filters.end, None, filters.location_id)
    punch_rows = punches(retailer=retailer, filters=scoped).filter(
        card__program_card__program_id__in=ids
    )
    redeemed = redemptions(retailer=retailer, filters=scoped).filter(
        card__program_card__program_id__in=ids
    )
    used, cash, sold = (_activity_rows(name, retailer, filters, ids) for name in _ACTIVITIES)
    sources = [_by_card_program(punch_rows), _by_card_program(redeemed), used, cash, sold]
    people = _participants(sources) if ids else {}
    money = {
        row["program_key"]: row
        for row in cash.values("program_key").annotate(
            accrued=Sum("amount", filter=Q(amount__gt=0)),
            spent=Sum("amount", filter=Q(amount__lt=0)),
        )
    }
    completed, packages, visits = (
        _counts(_completed_cards(retailer, filters, ids)),
        _counts(sold.values("program_key")),
        _counts(used.values("program_key")),
    )
    moves = activity(punch_rows=punch_rows, redemption_rows=redeemed, filters=filters)
    counted = {row.program_id: row for row in moves.by_program}
    none = ProgramActivity(0, "")
    rows = [
        Participation(
            program=program,
            participants=people.get(program.pk, 0),
            punches=counted.get(program.pk, none).punches,
            redemptions=counted.get(program.pk, none).redemptions,
            cards_completed=completed.get(program.pk, 0),
            packages_sold=None if filters.location_id else packages.get(program.pk, 0),
            visits_used=visits.get(program.pk, 0),
            cash_back_accrued=_money(money.get(program.pk, {}).get("accrued")),
            cash_back_redeemed=-_money(money.get(program.pk, {}).get("spent")),
        )
        for program in programs
    ]
    return rows, moves


# --- The points ledger of one owner (SPEC §2: the balance is the sum of the entries) --------


def points_ledger(*, owner: PetOwner) -> QuerySet[PointsEntry]:
    """Newest first, each row with the balance right after it (a window sum in the database)."""
    running = Window(Sum("points"), order_by=[F("created_at").asc(), F("pk").asc()])
    return (
        PointsEntry.objects.filter(retailer_id=owner.retailer_id, owner=owner)
        .select_related("created_by", "visit__cashier", "visit__location")
        .annotate(balance=running)
        .order_by("-created_at", "-pk")
    )
