"""The cashier's checkout and Finish screens (SPEC §4): a fixed number of queries per screen."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, Sum, prefetch_related_objects

from loyalty.models import (
    Card,
    Distributor,
    Item,
    PointReward,
    PointsEntry,
    Program,
    ProgramCard,
    Purchase,
    Redemption,
    Visit,
)
from loyalty.models.cards import CardStatus, LineOutcome, PurchaseState
from loyalty.models.points import PointsKind
from loyalty.services.enrollment import distributors_for
from loyalty.services.points import points_balance  # noqa: F401
from loyalty.services.redemptions import allowed_redeemable, missing_contact_data
from loyalty.services.sales import RETURN_STATES

from .checkout_lines import visit_lines
from .matching import ENROLLED_PROGRAM_IDS
from .owners import register_cards
from .prepared import PreparedRead
from .prepared_cursor import preparing_cursor
from .sql_rows import columns, instance, width

# --- The cashier's checkout and finish screens (SPEC §4) ------------------------------------
# Each screen runs a fixed number of queries whatever the number of lines or cards (pinned by
# tests with 1 and 50 of each).


# The balance and this visit's points, summed in SQL; no entry yet reads as no row.
_POINTS = PreparedRead(
    lambda owner_id, visit_id: (
        PointsEntry.objects.filter(owner_id=owner_id)
        .values("owner_id")
        .annotate(balance=Sum("points"), visit=Sum("points", filter=Q(visit_id=visit_id)))
        .values_list("balance", "visit")
        .order_by()
    )
)
_REWARDS = PreparedRead(
    lambda retailer_id: (
        PointReward.objects.filter(retailer_id=retailer_id, is_active=True)
        .values_list("id", "name", "points_required", "description")
        .order_by("points_required", "name")
    )
)


@dataclass(frozen=True, slots=True)
class RewardRow:
    """A point reward of the store as the checkout and Finish screens show it."""

    pk: int
    name: str
    points_required: int
    description: str


# What the checkout and Finish templates test of a request's state (an error and where it
# goes, a notice, a dialog), as nothing happened: every name present, since a name missing
# from the context costs the template an exception each time it is tested (each line's).
SCREEN_STATE = {
    "error": "",
    "error_for": "",
    "error_line": None,
    "notice": "",
    "notice_for": "",
    "focus": "",
    "expanded": None,
    "notes_editable": False,
}


def checkout_summary(*, visit: Visit) -> dict:
    """Today's Purchases, Today's Returns, enroll prompts, cards and points for one visit."""
    lines = visit_lines(visit.pk)
    purchases = [line for line in lines if line.outcome not in RETURN_STATES]
    unknown = [line for line in purchases if line.outcome == LineOutcome.UNKNOWN]
    prompted = {line.program_id for line in unknown if line.program_id is not None}
    return {
        "visit": visit,
        "owner": visit.owner,
        "purchases": purchases,
        "returns": [line for line in lines if line.outcome in RETURN_STATES],
        "enroll_prompts": _enroll_prompts(prompted) if prompted else [],
        "exception_cards": list(exception_cards(visit)) if unknown else [],
        "cards": register_cards(owner_id=visit.customer.pk),
    } | _points_and_rewards(visit)


def _enroll_prompts(program_ids: set[int]) -> list[tuple[Program, list[Distributor]]]:
    """SPEC §2: each program an Unknown Item of the sale is on, with the distributors that
    serve it (three queries, however many prompts)."""
    holding = Distributor.objects.filter(is_temporary_holding=True).first()
    programs = Program.objects.filter(pk__in=program_ids).prefetch_related("distributors")
    return [
        (program, distributors_for(program, holding=holding))
        for program in sorted(programs, key=lambda program: program.name)
    ]


def _points_and_rewards(visit: Visit) -> dict:
    """SPEC §2: the balance, this visit's points, and the point rewards the balance reaches
    (one query for every reward of the store)."""
    [(balance, points)] = _POINTS.rows(visit.customer.pk, visit.pk) or [(0, 0)]
    totals = {"balance": balance or 0, "visit": points or 0}
    rewards = [RewardRow(*row) for row in _REWARDS.rows(visit.retailer_id)]
    return {
        "points": totals,
        "rewards_in_reach": [r for r in rewards if r.points_required <= totals["balance"]],
    }


def exception_cards(visit: Visit) -> list[ProgramCard]:
    """The cards an Unknown Item may be added to by exception: those of the active programs
    the store is enrolled in (for the whole account or the visit's location) and of its own,
    each with its program, by program and card name. One statement with the enrollments read
    inside it, written once and prepared on PostgreSQL (the ORM compiled two queries anew on
    every checkout with an Unknown Item, issue 12)."""
    split = width(ProgramCard)
    params = [visit.retailer_id, visit.location_id, visit.retailer_id]
    with preparing_cursor(connection) as cursor:
        cursor.execute(_EXCEPTION_CARDS, params)
        rows = cursor.fetchall()
    cards = []
    for row in rows:
        card = instance(ProgramCard, row[:split])
        card.program = instance(Program, row[split:])
        cards.append(card)
    return cards


_EXCEPTION_CARDS = f"""
SELECT {columns(ProgramCard, "pc")}, {columns(Program, "p")}
FROM loyalty_programcard pc JOIN loyalty_program p ON p.id = pc.program_id
WHERE p.is_active AND (pc.program_id IN ({ENROLLED_PROGRAM_IDS}) OR p.retailer_id = %s)
ORDER BY p.name, pc.name
"""  # noqa: S608 - our own tables and columns


@dataclass(frozen=True)
class RedeemableCard:
    card: Card
    items: list[Item]
    missing: list[str]


_COMPLETE_CARDS = PreparedRead(
    lambda owner_id: (
        Card.objects.filter(owner_id=owner_id, status=CardStatus.COMPLETE)
        .select_related("program_card__program", "owner")
        .order_by("completed_at", "id")
    )
)
_VISIT_REWARDS = PreparedRead(
    lambda visit_id: (
        Redemption.objects.filter(visit_id=visit_id, undone_at__isnull=True)
        .select_related("item", "card__program_card__program")
        .order_by("redeemed_at", "id")
    )
)
_POINT_REWARDS_REDEEMED = PreparedRead(
    lambda visit_id: (
        PointsEntry.objects.filter(
            visit_id=visit_id, kind=PointsKind.REDEEMED, point_reward__isnull=False
        )
        .select_related("point_reward")
        .order_by("created_at", "id")
    )
)


def finish_summary(*, visit: Visit) -> dict:
    """The Finish screen: complete cards with what they may redeem, and this visit's rewards."""
    complete = _COMPLETE_CARDS.objects(visit.customer.pk)
    active = Purchase.objects.filter(state=PurchaseState.ACTIVE).select_related("item")
    prefetch_related_objects(  # two queries for every complete card, none without one
        complete,
        "program_card__redeemable_items",
        Prefetch("purchases", queryset=active, to_attr="active_purchases"),
    )
    redeemable = [
        RedeemableCard(
            card,
            allowed_redeemable(
                card=card,
                items=list(card.program_card.redeemable_items.all()),
                purchases=card.active_purchases,  # type: ignore[attr-defined]  # prefetched above
            ),
            missing_contact_data(card),
        )
        for card in complete
    ]
    return {
        "visit": visit,
        "owner": visit.owner,
        "redeemable": redeemable,
        "rewards": _VISIT_REWARDS.objects(visit.pk),
        "point_rewards_redeemed": _POINT_REWARDS_REDEEMED.objects(visit.pk),
        "cards": register_cards(owner_id=visit.customer.pk),
    } | _points_and_rewards(visit)
