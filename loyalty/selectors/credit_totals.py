"""The Redemption Reports screen's totals (SPEC §6 credit status): per state, and the money
each distributor credited and still owes, over the screen's filtered reports, in two queries."""

from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from loyalty.models import ReportKind, ReportState

from .distributor_reports import CLAIM_KINDS

MONEY = DecimalField(max_digits=12, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def claim_value():
    """What a claim is worth, in SQL (the same as services...credits.claim_value): what the
    distributor credited, else an offer's discount, else the free item's list price."""
    item_price = Coalesce("corrected_item__list_price", "redemption__item__list_price")
    return Coalesce(
        F("credit_amount"),
        Case(
            When(kind=ReportKind.OFFER_REDEMPTION, then=F("offer_redemption__discount")),
            When(kind__in=CLAIM_KINDS, then=item_price),
            output_field=MONEY,
        ),
        ZERO,
        output_field=MONEY,
    )


def standing_claims() -> Q:
    """Claims still standing: not withdrawn, and not of a redemption undone since (its
    correction cancelled it at the distributor)."""
    return (
        Q(kind__in=CLAIM_KINDS)
        & ~Q(state=ReportState.WITHDRAWN)
        & (Q(redemption__isnull=True) | Q(redemption__undone_at__isnull=True))
    )


def totals_by_state(*, reports: QuerySet) -> list[dict]:
    """Each state with its label, how many reports, and the value of its standing claims."""
    rows = (
        reports.order_by()
        .values("state")
        .annotate(count=Count("pk"), value=Sum(claim_value(), filter=standing_claims()))
    )
    found = {row["state"]: row for row in rows}
    return [
        {
            "state": state,
            "label": label,
            "count": found[state]["count"],
            "value": cents(found[state]["value"]),
        }
        for state, label in ReportState.choices
        if state in found
    ]


def money_by_distributor(*, reports: QuerySet) -> list[dict]:
    """Per distributor: credited, still owed (every standing claim not credited yet) and how
    many claims it declined."""
    credited = Q(state=ReportState.CREDITED)
    rows = list(
        reports.order_by()
        .filter(standing_claims())
        .values("distributor_id", "distributor__name")
        .annotate(
            claims=Count("pk"),
            credited=Coalesce(Sum(claim_value(), filter=credited), ZERO),
            owed=Coalesce(Sum(claim_value(), filter=~credited), ZERO),
            declined=Count("pk", filter=Q(state=ReportState.DECLINED)),
        )
        .order_by("distributor__name")
    )
    for row in rows:
        row["credited"], row["owed"] = cents(row["credited"]), cents(row["owed"])
    return rows


def cents(value: Decimal | None) -> Decimal:
    """Dollars and cents (SQLite sums decimals as floats; this keeps them money)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))
