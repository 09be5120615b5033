"""Importing sale lines onto cards, once per POS line (SPEC §3, §4 step 5), and visit rules."""

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction

from loyalty.errors import DomainError
from loyalty.models import (
    Card,
    Location,
    PetOwner,
    ProgramCard,
    Purchase,
    Retailer,
    User,
    Visit,
    VisitLine,
)
from loyalty.models.cards import LineOutcome, PurchaseState
from loyalty.rules.matching import PUNCH
from loyalty.rules.visits import cards_needing_reason, check_reason

from .cards import add_purchases
from .matching import match_lines


def start_visit(
    *,
    retailer: Retailer,
    owner: PetOwner,
    location: Location | None = None,
    cashier: User | None = None,
    pos_system: str = "",
    pos_sale_id: str = "",
    subtotal: Decimal | None = None,
    total: Decimal | None = None,
) -> Visit:
    if owner.retailer_id != retailer.pk:
        raise DomainError("That pet owner belongs to another account.")
    return Visit.objects.create(
        retailer=retailer,
        owner=owner,
        location=location,
        cashier=cashier,
        pos_system=pos_system,
        pos_sale_id=pos_sale_id,
        subtotal=subtotal,
        total=total,
    )


@transaction.atomic
def import_sale_line(
    *,
    visit: Visit,
    pos_line_id: str,
    codes: Sequence[str],
    quantity: int,
    unit_price: Decimal | None = None,
    description: str = "",
) -> VisitLine:
    """Record one sale line and punch its card. A POS line already imported by an earlier click
    becomes a Possible Existing Transaction instead of punching again (SPEC §4 step 5)."""
    fields = {
        "retailer_id": visit.retailer_id,
        "visit": visit,
        "pos_system": visit.pos_system,
        "pos_sale_id": visit.pos_sale_id,
        "pos_line_id": pos_line_id,
        "codes": list(codes),
        "quantity": quantity,
        "unit_price": unit_price,
        "description": description,
    }
    try:
        with transaction.atomic():
            line = VisitLine.objects.create(**fields)
    except IntegrityError:
        first = VisitLine.objects.get(
            retailer_id=visit.retailer_id,
            pos_system=visit.pos_system,
            pos_sale_id=visit.pos_sale_id,
            pos_line_id=pos_line_id,
            first_import__isnull=True,
        )
        return VisitLine.objects.create(
            **fields, first_import=first, item=first.item, outcome=LineOutcome.POSSIBLE_EXISTING
        )
    return _apply_line(line)


def _apply_line(line: VisitLine) -> VisitLine:
    visit = line.visit
    [(item, match)] = match_lines(
        retailer=visit.retailer, location=visit.location, lines=[line.codes]
    )
    line.item = item
    if line.quantity < 0:
        # SPEC §3: a return only leaves the cards when the cashier confirms it.
        line.outcome = LineOutcome.RETURN_PENDING
    elif match.outcome == PUNCH and line.quantity > 0:
        add_purchases(
            owner=visit.owner,
            program_card=ProgramCard.objects.select_related("program").get(
                pk=match.program_card_id
            ),
            quantity=line.quantity,
            item=item,
            unit_price=line.unit_price,
            location=visit.location,
            cashier=visit.cashier,
            visit_line=line,
        )
        line.outcome = LineOutcome.PUNCHED
    else:
        line.outcome, line.reason = LineOutcome.UNKNOWN, match.reason or "Quantity is zero."
    line.save(update_fields=["item", "outcome", "reason"])
    return line


def multi_purchase_cards(visit: Visit) -> list[Card]:
    """SPEC §3: cards this visit punched more than once need a reason before finishing."""
    counts = Counter(
        Purchase.objects.filter(visit_line__visit=visit, state=PurchaseState.ACTIVE).values_list(
            "card_id", flat=True
        )
    )
    ids = cards_needing_reason(counts)
    cards = Card.objects.in_bulk(ids)
    return [cards[i] for i in ids]


@transaction.atomic
def record_multi_purchase_reason(*, visit: Visit, card: Card, reason: str, note: str = "") -> int:
    """Keep the cashier's reason with every punch this visit put on the card."""
    try:
        check_reason(reason=reason, note=note)
    except ValueError as exc:
        raise DomainError(str(exc)) from exc
    return Purchase.objects.filter(visit_line__visit=visit, card=card).update(
        multi_purchase_reason=reason, multi_purchase_note=note
    )
