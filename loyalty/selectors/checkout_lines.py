"""The checkout's sale lines as the screen shows them (SPEC §4 steps 4-6, §9).

One query reads every line with its item, card, program and punches (a LEFT JOIN: a line of
quantity 3 comes back as three rows), as plain values: building a model for each line, item,
card, program and punch, and the template's lookups and filters on them, were most of the
screen's time. Each row carries the words and the URL the template puts out, so the template
does a few lookups a line (same HTML as before).
"""

from dataclasses import dataclass

from django.urls import reverse

from loyalty.models.cards import LineOutcome, VisitLine, card_number
from loyalty.presentation.text import card_title, item_name

from .prepared import PreparedRead

OUTCOME_WORDS = dict(LineOutcome.choices)

_COLUMNS = (
    "id",
    "outcome",
    "description",
    "quantity",
    "codes",
    "pos_line_id",
    "reason",
    "item__description",
    "item__size",
    "program_card_id",
    "program_card__name",
    "program_card__program_id",
    "program_card__program__name",
    "purchases__card_id",
)

_LINES = PreparedRead(
    lambda visit_id: (
        VisitLine.objects.filter(visit_id=visit_id)
        .values_list(*_COLUMNS)
        .order_by("id", "purchases__id")
    )
)


@dataclass(frozen=True, slots=True)
class LineRow:
    pk: int
    key: str  # the pk as the page writes it (text: a number costs the template twice as much)
    outcome: str
    label: str  # the POS's description, else the item's name, else "Item"
    quantity: int
    quantity_text: str
    exceptionable: bool  # an Unknown Item bought (not returned): may go on a card by exception
    codes: list  # every code the POS gave (an Unknown Item shows the first)
    cards: str  # "C0000012 C0000013 ": the cards its punches went on, in punch order
    card_meta: str  # under a punched line: its card, "added by hand", the reason
    reason: str
    outcome_display: str
    program_id: int | None  # of the line's card: an enroll prompt for an Unknown Item
    url: str  # the line's actions are this plus "add-anyway/", "remove/", ...


def visit_lines(visit_id: int) -> list[LineRow]:
    """Every line of the visit in sale order (one query, whatever the lines and punches)."""
    rows = _LINES.rows(visit_id)
    base = reverse("checkout_line", args=[visit_id, 0, "a"]).removesuffix("0/a/")
    lines: list[LineRow] = []
    punched: list[int] = []  # the card of each punch of the line being read
    previous = None
    for row in rows:
        if previous is not None and row[0] != previous[0]:
            lines.append(_line(previous, punched, base))
            punched = []
        if row[13] is not None:
            punched.append(row[13])
        previous = row
    if previous is not None:
        lines.append(_line(previous, punched, base))
    return lines


def _line(row: tuple, punched: list[int], base: str) -> LineRow:
    pk, outcome, description, quantity, codes, pos_line_id, reason = row[:7]
    item_description, item_size, program_card_id, card_name, program_id, program_name = row[7:13]
    if description:
        label = description
    else:  # an item's description is never null: None means the line has no item
        label = item_name(item_description, item_size) if item_description is not None else "Item"
    cards: list[int] = []
    for card_id in punched:  # as {% ifchanged %} did: a card once per run of its punches
        if not cards or cards[-1] != card_id:
            cards.append(card_id)
    title = card_title(program_name, card_name) if program_card_id is not None else ""
    meta = title + (" · added by hand" if pos_line_id == "" else "")
    return LineRow(
        pk=pk,
        key=str(pk),
        outcome=outcome,
        label=label,
        quantity=quantity,
        quantity_text=str(quantity),
        exceptionable=outcome == LineOutcome.UNKNOWN and quantity > 0,
        codes=codes,
        cards="".join(f"{card_number(card_id)} " for card_id in cards),
        card_meta=meta + (f" · {reason}" if reason else ""),
        reason=reason,
        outcome_display=OUTCOME_WORDS.get(outcome, outcome),
        program_id=program_id,
        url=f"{base}{pk}/",
    )
