"""Which card a sale line punches, or why it is an Unknown Item (SPEC §3 Unknown items)."""

from collections.abc import Sequence
from dataclasses import dataclass

PUNCH = "punch"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class CardOption:
    """A program card on which the line's item qualifies."""

    program_card_id: int
    program_name: str
    is_enrolled: bool


@dataclass(frozen=True)
class LineMatch:
    outcome: str  # PUNCH or UNKNOWN
    program_card_id: int | None = None
    reason: str = ""
    # UNKNOWN only because the store is not enrolled: the card it would punch (enroll prompt).
    enroll_card_id: int | None = None


def decide_match(
    *,
    item_found: bool,
    options: Sequence[CardOption],
    code_problem: str | None = None,
    brand_program: str | None = None,
) -> LineMatch:
    """Pick the card a line punches, or say in a few words why it earned nothing.

    `options` come in a stable order (program card id); a line punches one card only, so an item
    listed on two cards never counts twice.
    """
    enrolled = [option for option in options if option.is_enrolled]
    if enrolled:
        return LineMatch(PUNCH, program_card_id=enrolled[0].program_card_id)
    if options:
        return LineMatch(
            UNKNOWN,
            reason=f"The store is not enrolled in {options[0].program_name}.",
            enroll_card_id=options[0].program_card_id,
        )
    if item_found and brand_program:
        return LineMatch(
            UNKNOWN,
            reason=f"Looks like an item of {brand_program}, but its size is not on the card.",
        )
    if not item_found and code_problem:
        return LineMatch(UNKNOWN, reason=code_problem)
    return LineMatch(UNKNOWN, reason="No program has this UPC or item number.")
