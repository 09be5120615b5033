"""A finalized sale posted by a fully integrated POS (SPEC §5): punches, returns, points."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from loyalty.models import (
    Card,
    Location,
    OfferRedemption,
    PetOwner,
    PointsEntry,
    Purchase,
    Visit,
    VisitLine,
)
from loyalty.models.cards import CardStatus, LineOutcome, PurchaseState, VisitState
from loyalty.models.tenancy import PointsEvents

from .cards import lock_owner, return_purchase
from .offers import apply_offers
from .points import award_sale_points, points_balance, take_back_points
from .sales import SaleLineInput, import_sale, start_visit


@dataclass(frozen=True)
class SaleResult:
    """What one posted sale did, for the POS to show or print."""

    visit: Visit
    lines: list[VisitLine]
    punches_by_card: dict[int, int]
    # The (first) card each punched line went on, by VisitLine id.
    card_by_line: dict[int, int]
    completed_card_ids: set[int]
    points_earned: int
    points_taken_back: int
    points_balance: int
    return_messages: dict[int, str] = field(default_factory=dict)
    offers: list[OfferRedemption] = field(default_factory=list)


def returned_amount(lines: Sequence[SaleLineInput]) -> Decimal:
    return sum(
        (
            abs(line.quantity) * (line.unit_price or Decimal(0))
            for line in lines
            if line.quantity < 0
        ),
        Decimal(0),
    )


@transaction.atomic
def record_finalized_sale(
    *,
    owner: PetOwner,
    location: Location,
    pos_system: str,
    pos_sale_id: str,
    pos_customer_id: str,
    completed_at: datetime,
    subtotal: Decimal,
    total: Decimal,
    lines: Sequence[SaleLineInput],
) -> SaleResult:
    """Import a paid sale once. The caller makes sure the sale id was not imported before.

    SPEC §5: the sale may arrive days late, so its punches and points carry `completed_at`;
    a negative quantity is a return, applied at once because the POS finalized the refund."""
    owner = lock_owner(owner)
    retailer = location.retailer
    complete_before = _complete_card_ids(owner)
    visit = start_visit(
        retailer=retailer,
        owner=owner,
        location=location,
        pos_system=pos_system,
        pos_sale_id=pos_sale_id,
        subtotal=subtotal,
        total=total,
    )
    visit.pos_customer_id, visit.created_at = pos_customer_id, completed_at
    visit.save(update_fields=["pos_customer_id", "created_at"])
    imported = import_sale(visit=visit, lines=lines)
    _backdate(visit, completed_at)
    # SPEC §5: offers apply by themselves, judged at the sale's own time.
    offers = apply_offers(visit=visit, lines=imported, at=completed_at)
    earned = _award_points(owner, visit, lines, subtotal, total, completed_at)
    messages, taken = {}, 0
    for line in imported:
        if line.outcome == LineOutcome.RETURN_PENDING:
            messages[line.pk], points = _apply_return(owner, line)
            taken += points
    visit.state = VisitState.FINISHED
    visit.save(update_fields=["state"])
    punched = list(
        Purchase.objects.filter(visit_line__visit=visit, state=PurchaseState.ACTIVE)
        .order_by("pk")
        .values_list("visit_line_id", "card_id")
    )
    return SaleResult(
        visit=visit,
        lines=imported,
        punches_by_card=dict(Counter(card_id for _line, card_id in punched)),
        card_by_line={line_id: card_id for line_id, card_id in reversed(punched)},
        completed_card_ids=_complete_card_ids(owner) - complete_before,
        points_earned=earned,
        points_taken_back=taken,
        points_balance=points_balance(owner),
        return_messages=messages,
        offers=offers,
    )


def _complete_card_ids(owner: PetOwner) -> set[int]:
    return set(
        Card.objects.filter(owner=owner, status=CardStatus.COMPLETE).values_list("pk", flat=True)
    )


def _backdate(visit: Visit, completed_at: datetime) -> None:
    """The sale's punches happened when the sale did, not when the queued POST arrived."""
    Purchase.objects.filter(visit_line__visit=visit).update(purchased_at=completed_at)
    Card.objects.filter(
        purchases__visit_line__visit=visit, status=CardStatus.COMPLETE, completed_at__isnull=False
    ).update(completed_at=completed_at)


def _award_points(
    owner: PetOwner,
    visit: Visit,
    lines: Sequence[SaleLineInput],
    subtotal: Decimal,
    total: Decimal,
    completed_at: datetime,
) -> int:
    """SPEC §2: points on the sale's amount. Returned lines are taken back one by one below,
    so the sale earns on what was bought: the amount plus what was returned."""
    if owner.retailer.points_events != PointsEvents.POS_SALES:
        return 0
    back = returned_amount(lines)
    entry = award_sale_points(
        owner=owner, subtotal=subtotal + back, total=total + back, visit=visit
    )
    if entry is None:
        return 0
    PointsEntry.objects.filter(pk=entry.pk).update(created_at=completed_at)
    return entry.points


def _apply_return(owner: PetOwner, line: VisitLine) -> tuple[str, int]:
    """SPEC §3: each returned unit removes the most recent matching purchase (a reopen request
    if its card was redeemed), and the points earned on the returned amount go back."""
    messages, outcome = [], LineOutcome.RETURNED
    if line.item is None:
        messages.append("Not an item of any program: no card had it.")
    for _unit in range(abs(line.quantity) if line.item else 0):
        result = return_purchase(owner=owner, item=line.item, visit_line=line)
        messages.append(result.message)
        if result.outcome == "reopen_requested":
            outcome = LineOutcome.REOPEN_REQUESTED
    points = 0
    if owner.retailer.points_events == PointsEvents.POS_SALES:
        amount = abs(line.quantity) * (line.unit_price or Decimal(0))
        entry = take_back_points(owner=owner, returned_amount=amount, visit=line.visit)
        if entry:
            points = -entry.points
            messages.append(f"{points} points taken back.")
    line.outcome, line.reason = outcome, " ".join(dict.fromkeys(messages))[:300]
    line.save(update_fields=["outcome", "reason"])
    return line.reason, points
