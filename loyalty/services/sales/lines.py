"""Importing sale lines onto cards, once per POS line (SPEC §3, §4 step 5)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from loyalty.models import (
    ProgramCard,
    Purchase,
    Visit,
    VisitLine,
)
from loyalty.models.cards import LineOutcome
from loyalty.rules.matching import PUNCH, LineMatch
from loyalty.selectors.matching import match_lines, match_sale_lines
from loyalty.selectors.sql_rows import new
from loyalty.services.cards import CardPunches, punch_card

from .line_rows import record_lines


class SaleLineInput(Protocol):
    """A sale line as a POS hands it over (loyalty.contracts.pos.PosLine fits)."""

    # Read-only members, so frozen dataclasses (PosLine, SaleLine) fit.
    @property
    def line_id(self) -> str: ...
    @property
    def codes(self) -> Sequence[str]: ...
    @property
    def quantity(self) -> int: ...
    @property
    def unit_price(self) -> Decimal | None: ...
    @property
    def description(self) -> str: ...
    @property
    def is_fee(self) -> bool: ...


@dataclass(frozen=True)
class SaleLine:
    """A line typed or scanned at the counter (and the tests' short way to write one)."""

    line_id: str
    codes: Sequence[str]
    quantity: int
    unit_price: Decimal | None = None
    description: str = ""
    # A fee line (a bag or deposit fee) is never merchandise: the pipeline leaves it out.
    is_fee: bool = False


@dataclass
class ImportedLines:
    """What one import did: the lines in order, and the punches it wrote (with their cards)."""

    lines: list[VisitLine]
    punches: list[Purchase] = field(default_factory=list)
    # Cards these punches completed (a card completes at its N-th punch, SPEC §3).
    completed_card_ids: set[int] = field(default_factory=set)


def import_sale(
    *, visit: Visit, lines: Sequence[SaleLineInput], at: datetime | None = None
) -> list[VisitLine]:
    """Record a sale's lines and punch their cards; the lines, in order."""
    return import_lines(visit=visit, lines=lines, at=at).lines


# No savepoint of its own inside the sale's transaction (two round trips a sale, SPEC §9):
# an error here rolls the whole sale back, and no caller goes on after one.
@transaction.atomic(savepoint=False)
def import_lines(
    *,
    visit: Visit,
    lines: Sequence[SaleLineInput],
    at: datetime | None = None,
    owner_locked: bool = False,
) -> ImportedLines:
    """Record a sale's lines and punch their cards, matching them all in a fixed number of queries.

    The punches carry `at`, the sale's own time (now when not given): a late sale's punches
    happened when it did. A POS line already imported by an earlier click becomes a Possible
    Existing Transaction instead of punching again (SPEC §4 step 5). The queries do not grow
    with the lines (SPEC §9). `owner_locked`: the caller holds the owner's row lock already."""
    at = at or timezone.now()
    # The cards the items qualify for come with the matching (and their programs): no second
    # read of the chosen ones.
    matches, program_cards = match_sale_lines(
        retailer=visit.retailer, location=visit.location, lines=[line.codes for line in lines]
    )
    card_ids = {m.program_card_id for _item, m in matches if m.program_card_id}
    outcomes = [
        _outcome(line.quantity, match, program_cards.get(match.program_card_id or 0))
        for line, (_item, match) in zip(lines, matches, strict=True)
    ]
    result = record_lines(visit, lines, [item for item, _match in matches], outcomes)
    punched = [
        (line, row, row.program_card)
        for line, row in zip(lines, result, strict=True)
        if row.outcome == LineOutcome.PUNCHED and row.program_card is not None
    ]
    if not punched:
        return ImportedLines(result)
    # The owner is locked once and all the cards the sale can punch are read with it; the
    # punches, new cards and completions are written together by save().
    punches = CardPunches(owner=visit.customer, program_card_ids=card_ids, locked=owner_locked)
    for line, row, program_card in punched:
        # match_lines decided enrollment already; punch without asking again.
        punches.punch(
            program_card=program_card,
            quantity=line.quantity,
            purchase=_purchase_template(row, at),
        )
    return ImportedLines(result, punches.save(), punches.completed_card_ids)


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
    card_id = match.program_card_id
    program_card = ProgramCard.objects.filter(pk=card_id).first() if card_id else None
    for name, value in _outcome(line.quantity, match, program_card).items():
        setattr(line, name, value)
    if line.outcome == LineOutcome.PUNCHED and program_card is not None:
        punch_card(
            owner=visit.customer,
            program_card=program_card,
            quantity=line.quantity,
            purchase=_purchase_template(line, timezone.now()),
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


def _purchase_template(line: VisitLine, at: datetime) -> Purchase:
    """The unsaved punch every unit of the line copies."""
    visit = line.visit
    return new(
        Purchase,
        retailer_id=visit.retailer_id,
        item=line.item,
        unit_price=line.unit_price,
        visit_line=line,
        location=visit.location,
        cashier=visit.cashier,
        purchased_at=at,
    )
