"""Importing sale lines onto cards, once per POS line (SPEC §3, §4 step 5), and visit rules."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from loyalty.errors import DomainError
from loyalty.models import (
    Card,
    Item,
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
from loyalty.rules.matching import PUNCH, LineMatch
from loyalty.rules.visits import cards_needing_reason, check_reason
from loyalty.selectors.matching import match_lines

from .cards import CardPunches, punch_card

# A return line waiting for or given its Remove From Astro FBC click.
RETURN_STATES = (LineOutcome.RETURN_PENDING, LineOutcome.RETURNED, LineOutcome.REOPEN_REQUESTED)


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


class SaleLineInput(Protocol):
    """A sale line as an integration hands it over (integrations.base.PosLine fits)."""

    line_id: str
    codes: Sequence[str]
    quantity: int
    unit_price: Decimal | None
    description: str


@dataclass(frozen=True)
class SaleLine:
    line_id: str
    codes: Sequence[str]
    quantity: int
    unit_price: Decimal | None = None
    description: str = ""


@transaction.atomic
def import_sale(*, visit: Visit, lines: Sequence[SaleLineInput]) -> list[VisitLine]:
    """Record a sale's lines and punch their cards, matching them all in a fixed number of queries.

    A POS line already imported by an earlier click becomes a Possible Existing Transaction
    instead of punching again (SPEC §4 step 5)."""
    matches = match_lines(
        retailer=visit.retailer, location=visit.location, lines=[line.codes for line in lines]
    )
    card_ids = {m.program_card_id for _item, m in matches if m.program_card_id}
    program_cards = ProgramCard.objects.select_related("program").in_bulk(card_ids)
    punches: CardPunches | None = None
    result = []
    for line, (item, match) in zip(lines, matches, strict=True):
        program_card = program_cards.get(match.program_card_id)
        visit_line = _record_line(visit, line, item, _outcome(line.quantity, match, program_card))
        if visit_line.outcome == LineOutcome.PUNCHED:
            if punches is None:
                # Lock the owner at the first punch, as before, and read all the cards the sale
                # can punch with it, instead of once per line.
                punches = CardPunches(owner=visit.owner, program_card_ids=card_ids)
            # match_lines decided enrollment already; punch without asking again.
            punches.punch(
                program_card=program_card,
                quantity=line.quantity,
                purchase=_purchase_template(visit_line),
            )
        result.append(visit_line)
    if punches is not None:
        punches.save()
    return result


@transaction.atomic
def add_anyway(*, line: VisitLine) -> VisitLine:
    """SPEC §4 step 5: the cashier confirms a repeated line really is a new purchase."""
    return rematch_line(line=line, expected=LineOutcome.POSSIBLE_EXISTING)


@transaction.atomic
def rematch_line(*, line: VisitLine, expected: str) -> VisitLine:
    """Match a line again and punch if it now qualifies (Add Anyway; after enrolling)."""
    # Claim the line first: a second click or a replayed POST finds nothing left to claim.
    claimed = VisitLine.objects.filter(pk=line.pk, outcome=expected).update(
        outcome=LineOutcome.PENDING
    )
    line.refresh_from_db()
    if not claimed:
        return line
    visit = line.visit
    [(_item, match)] = match_lines(
        retailer=visit.retailer, location=visit.location, lines=[line.codes]
    )
    program_card = ProgramCard.objects.filter(pk=match.program_card_id).first()
    for name, value in _outcome(line.quantity, match, program_card).items():
        setattr(line, name, value)
    if line.outcome == LineOutcome.PUNCHED:
        punch_card(
            owner=visit.owner,
            program_card=program_card,
            quantity=line.quantity,
            purchase=_purchase_template(line),
        )
    line.save(update_fields=["outcome", "reason", "program_card"])
    return line


def ignore_repeat(*, line: VisitLine) -> VisitLine:
    """Remove on a Possible Existing Transaction: the line adds nothing (also the default)."""
    VisitLine.objects.filter(pk=line.pk, outcome=LineOutcome.POSSIBLE_EXISTING).update(
        outcome=LineOutcome.IGNORED, reason="Already imported from this sale."
    )
    line.refresh_from_db()
    return line


def import_sale_line(
    *,
    visit: Visit,
    pos_line_id: str,
    codes: Sequence[str],
    quantity: int,
    unit_price: Decimal | None = None,
    description: str = "",
) -> VisitLine:
    """One line of a sale (a line added by hand, or a POS that sends lines one by one)."""
    line = SaleLine(pos_line_id, list(codes), quantity, unit_price, description)
    return import_sale(visit=visit, lines=[line])[0]


def _record_line(visit: Visit, line: SaleLineInput, item: Item | None, outcome: dict) -> VisitLine:
    """Insert the line with its outcome decided, so it is not updated again after punching."""
    fields = {
        "retailer_id": visit.retailer_id,
        "visit": visit,
        "pos_system": visit.pos_system,
        "pos_sale_id": visit.pos_sale_id,
        "pos_line_id": line.line_id,
        "codes": list(line.codes),
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "description": line.description,
        "item": item,
    }
    try:
        with transaction.atomic():
            return VisitLine.objects.create(**fields, **outcome)
    except IntegrityError:
        first = VisitLine.objects.get(
            retailer_id=visit.retailer_id,
            pos_system=visit.pos_system,
            pos_sale_id=visit.pos_sale_id,
            pos_line_id=line.line_id,
            first_import__isnull=True,
        )
        # Only a line that earned something can be counted twice: one that was an Unknown
        # Item before (say the store has enrolled since) is matched afresh.
        earned = VisitLine.objects.filter(
            Q(pk=first.pk) | Q(first_import=first),
            outcome__in=[LineOutcome.PUNCHED, LineOutcome.POSSIBLE_EXISTING, *RETURN_STATES],
        ).exists()
        if earned:
            outcome = {"outcome": LineOutcome.POSSIBLE_EXISTING}
        return VisitLine.objects.create(**fields, first_import=first, **outcome)


def _outcome(quantity: int, match: LineMatch, program_card: ProgramCard | None) -> dict:
    """The fields saying what becomes of a line: punched, a return waiting, or Unknown."""
    if quantity < 0:
        # SPEC §3: a return only leaves the cards when the cashier confirms it.
        return {"outcome": LineOutcome.RETURN_PENDING}
    if match.outcome == PUNCH and quantity > 0 and program_card is not None:
        return {"outcome": LineOutcome.PUNCHED, "program_card": program_card}
    return {
        "outcome": LineOutcome.UNKNOWN,
        "reason": match.reason or "Quantity is zero.",
        "program_card_id": match.enroll_card_id,
    }


def _purchase_template(line: VisitLine) -> Purchase:
    """The unsaved punch every unit of the line copies."""
    visit = line.visit
    return Purchase(
        retailer_id=visit.retailer_id,
        item=line.item,
        unit_price=line.unit_price,
        visit_line=line,
        location=visit.location,
        cashier=visit.cashier,
        purchased_at=timezone.now(),
    )


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
