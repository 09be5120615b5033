"""Visit checks: when a cashier must give a reason for several punches on one card."""

from collections.abc import Mapping
from typing import TypeVar

K = TypeVar("K")

OTHER = "other"

# SPEC §3 Multi-purchase: the reasons a cashier picks from.
MULTI_PURCHASE_REASONS: list[tuple[str, str]] = [
    ("multiple_pets", "Multiple pets"),
    ("stocking_up", "Stocking up"),
    ("other_household", "Buying for another household"),
    ("paper_card", "Converting a paper card"),
    (OTHER, "Other (add a note)"),
]


def cards_needing_reason(punches_per_card: Mapping[K, int]) -> list[K]:
    """The cards that get more than one punch in this visit, in input order."""
    # SPEC §3: more than one punch on the same card in one visit needs a reason.
    return [card for card, count in punches_per_card.items() if count > 1]


def check_reason(*, reason: str, note: str) -> None:
    """Raise ValueError unless `reason` is a listed reason, with a note when it is "other"."""
    values = [value for value, _label in MULTI_PURCHASE_REASONS]
    if not reason:
        raise ValueError("Pick a reason for the extra punches.")
    if reason not in values:
        raise ValueError(f"Pick a reason for the extra punches from the list, not {reason!r}.")
    if reason == OTHER and not note.strip():
        raise ValueError("Add a note saying why, since the reason is 'Other'.")
