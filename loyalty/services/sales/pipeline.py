"""The one sale pipeline: every POS hands a sale to `record_pos_sale` (SPEC §4, §5), which
starts the visit, imports the lines (lines.py), awards the points and applies the returns.

The redirect flows (the cashier pressed the POS button) and the REST API (a full integration
posted a paid sale) differ only in `finalized`. Not finalized: returns wait for the cashier's
Remove From Astro FBC (SPEC §3) and the visit stays open for the checkout screen. Finalized: no
cashier will look at it in Astro, so its returns apply at once, offers apply by themselves
(SPEC §2) and the visit is closed.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from loyalty.contracts.pos import PosSale
from loyalty.errors import DomainError
from loyalty.models import (
    Card,
    Location,
    OfferRedemption,
    PetOwner,
    Purchase,
    Retailer,
    User,
    Visit,
)
from loyalty.models.cards import CardStatus, LineOutcome, PurchaseState, VisitLine, VisitState
from loyalty.selectors.sql_rows import insert, new
from loyalty.services.cards import ReturnOutcome, lock_owner, return_purchase
from loyalty.services.messages.outbox import queue_visit_summary
from loyalty.services.offers import apply_offers
from loyalty.services.points import award_sale_points, points_balance, take_back_points

from .lines import ImportedLines, SaleLineInput, import_lines


@dataclass(frozen=True)
class SaleResult:
    """What one sale did, for the POS to show or print (the REST API answers it)."""

    visit: Visit
    lines: list[VisitLine]
    punches_by_card: dict[int, int]
    # The (first) card each punched line went on, by VisitLine id.
    card_by_line: dict[int, int]
    completed_card_ids: set[int]
    points_earned: int
    points_taken_back: int
    return_messages: dict[int, str] = field(default_factory=dict)
    offers: list[OfferRedemption] = field(default_factory=list)

    @property
    def points_balance(self) -> int:
        return points_balance(self.visit.customer)


# A visit the cashier can still act on; Finished and Undone visits refuse every action.
OPEN_STATES = (VisitState.OPEN, VisitState.CHECKED_OUT)


def start_visit(
    *,
    retailer: Retailer,
    owner: PetOwner,
    location: Location | None = None,
    cashier: User | None = None,
    pos_system: str = "",
    pos_sale_id: str = "",
    pos_sale_number: str = "",
    pos_customer_id: str = "",
    subtotal: Decimal | None = None,
    total: Decimal | None = None,
    return_url: str = "",
    started_at: datetime | None = None,
    state: str = VisitState.OPEN,
) -> Visit:
    """The visit row, written once with everything known about it (a late sale's own time)."""
    if owner.retailer_id != retailer.pk:
        raise DomainError("That pet owner belongs to another account.")
    visit = new(
        Visit,
        retailer=retailer,
        owner=owner,
        location=location,
        cashier=cashier,
        pos_system=pos_system,
        pos_sale_id=pos_sale_id,
        pos_sale_number=pos_sale_number,
        pos_customer_id=pos_customer_id,
        subtotal=subtotal,
        total=total,
        return_url=return_url,
        created_at=started_at or timezone.now(),
        state=state,
    )
    insert([visit])  # as Visit.objects.create, with its SQL written once (SPEC §9)
    return visit


def check_visit_open(visit: Visit) -> None:
    """Every action of a visit refuses once it is finished (a stale tab, a replayed POST)."""
    if visit.state not in OPEN_STATES:
        raise DomainError("This visit is finished. Press the Astro Loyalty button again.")


# No savepoint inside a caller's transaction (the API's idempotency claim): an error rolls
# the whole request back.
@transaction.atomic(savepoint=False)
def record_pos_sale(
    *,
    owner: PetOwner,
    location: Location,
    pos_system: str,
    sale: PosSale,
    finalized: bool,
    sold_at: datetime | None = None,
    cashier: User | None = None,
    return_url: str = "",
    owner_locked: bool = False,
) -> SaleResult:
    """Record a POS sale for the owner: the visit, its lines on the cards, the points.

    `sold_at` is the sale's own time: a queued sale arrives late and keeps it (SPEC §5). The
    REST API makes sure a sale is posted once; a redirect POS may send one again, and its lines
    then come back as Possible Existing Transactions (SPEC §4 step 5). `owner_locked`: the
    caller read the owner with its row lock in this transaction (`lock_linked_owner`)."""
    owner = owner if owner_locked else lock_owner(owner)
    if owner.retailer_id == location.retailer_id:
        owner.retailer = location.retailer  # the locked re-read need not read the store again
    sold_at = sold_at or timezone.now()
    lines = [line for line in sale.lines if not line.is_fee]  # a bag fee is not merchandise
    visit = start_visit(
        retailer=location.retailer,
        owner=owner,
        location=location,
        cashier=cashier,
        pos_system=pos_system,
        pos_sale_id=sale.sale_id,
        pos_sale_number=sale.display_number[:40],
        pos_customer_id=sale.customer.pos_customer_id if sale.customer else "",
        subtotal=sale.subtotal,
        total=sale.total,
        return_url=return_url,
        started_at=sold_at,
        state=VisitState.FINISHED if finalized else VisitState.OPEN,
    )
    imported = import_lines(visit=visit, lines=lines, at=sold_at, owner_locked=True)
    earned = award_sale_points(
        owner=owner,
        subtotal=sale.subtotal,
        total=sale.total,
        returned=returned_amount(lines),
        visit=visit,
        at=sold_at,
    )
    earned_points = earned.points if earned else 0
    if not finalized:
        return _result(visit, imported, earned=earned_points)
    offers, messages, taken = _close_finalized(visit, imported.lines, at=sold_at)
    return _result(
        visit, imported, earned=earned_points, taken=taken, messages=messages, offers=offers
    )


def returned_amount(lines: Sequence[SaleLineInput]) -> Decimal:
    """What the sale's returned lines were worth (their quantities are negative)."""
    returned = (
        abs(line.quantity) * (line.unit_price or Decimal(0)) for line in lines if line.quantity < 0
    )
    return sum(returned, Decimal(0))


def _close_finalized(
    visit: Visit, lines: list[VisitLine], *, at: datetime
) -> tuple[list[OfferRedemption], dict[int, str], int]:
    """A finalized sale's offers and returns apply now, and its visit summary is queued."""
    offers = apply_offers(visit=visit, lines=lines, at=at)
    messages, taken = _apply_returns(lines, at=at)
    queue_visit_summary(visit=visit)
    return offers, messages, taken


def _apply_returns(lines: list[VisitLine], *, at: datetime) -> tuple[dict[int, str], int]:
    """A finalized refund is final: its returned lines leave the cards now (SPEC §5)."""
    messages, taken = {}, 0
    for line in lines:
        if line.outcome == LineOutcome.RETURN_PENDING:
            taken += apply_return(line=line, at=at) or 0
            messages[line.pk] = line.reason
    return messages, taken


def _result(
    visit: Visit,
    imported: ImportedLines,
    *,
    earned: int,
    taken: int = 0,
    messages: dict[int, str] | None = None,
    offers: list[OfferRedemption] | None = None,
) -> SaleResult:
    """The punches as they stand: a return in the same sale may have taken one back."""
    punches = [(p.visit_line_id, p.card_id) for p in imported.punches]
    completed = set(imported.completed_card_ids)
    if taken or messages:
        punches = list(
            Purchase.objects.filter(visit_line__visit=visit, state=PurchaseState.ACTIVE)
            .order_by("pk")
            .values_list("visit_line_id", "card_id")
        )
        completed &= set(
            Card.objects.filter(pk__in=completed, status=CardStatus.COMPLETE).values_list(
                "pk", flat=True
            )
        )
    return SaleResult(
        visit=visit,
        lines=imported.lines,
        punches_by_card=dict(Counter(card_id for _line, card_id in punches)),
        card_by_line={line: card for line, card in reversed(punches) if line is not None},
        completed_card_ids=completed,
        points_earned=earned,
        points_taken_back=taken,
        return_messages=messages or {},
        offers=offers or [],
    )


@transaction.atomic
def apply_return(
    *, line: VisitLine, cashier: User | None = None, at: datetime | None = None
) -> int | None:
    """Each returned unit removes the most recent matching purchase (a reopen request for the
    distributor when its card was redeemed), and the points earned on the returned amount go
    back (never below zero). Returns the points taken back, or None when the line was applied
    already: a second click or a replayed POST changes nothing."""
    claimed = VisitLine.objects.filter(pk=line.pk, outcome=LineOutcome.RETURN_PENDING).update(
        outcome=LineOutcome.RETURNED
    )
    if not claimed:
        line.refresh_from_db()
        return None
    owner, messages, outcome = line.visit.customer, [], LineOutcome.RETURNED
    if line.item is None:
        messages.append("Not an item of any program: no card had it.")
    for _unit in range(abs(line.quantity) if line.item else 0):
        item = line.item
        assert item is not None  # the range is empty without one
        result = return_purchase(owner=owner, item=item, cashier=cashier, visit_line=line)
        messages.append(result.message)
        if result.outcome == ReturnOutcome.REOPEN_REQUESTED:
            outcome = LineOutcome.REOPEN_REQUESTED
    amount = abs(line.quantity) * (line.unit_price or Decimal(0))
    entry = take_back_points(
        owner=owner, returned_amount=amount, visit=line.visit, actor=cashier, at=at
    )
    points = -entry.points if entry else 0
    if points:
        messages.append(f"{points} points taken back.")
    line.outcome, line.reason = outcome, " ".join(dict.fromkeys(messages))[:300]
    line.save(update_fields=["outcome", "reason"])
    return points
