"""Custom Program Participation: who took part in each custom program and how."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from loyalty.models import (
    Card,
    CashBackEntry,
    PrepaidPackage,
    PrepaidUse,
    Program,
    Purchase,
    Retailer,
)
from loyalty.models.cards import COUNTED_STATES
from loyalty.models.programs import ProgramKind
from loyalty.selectors.analytics.filters import ReportFilters
from loyalty.selectors.analytics.redemptions import (
    Activity,
    ProgramActivity,
    activity,
    punches,
    redemptions,
)

CENT = Decimal("0.01")


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
    rows = model._default_manager.filter(
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
