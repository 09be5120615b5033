"""Free-good rules: which items may be chosen to redeem a complete card."""

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

SAME_SIZE = "same_size"
LESSER_OR_EQUAL = "lesser_or_equal_value"
MOST_FREQUENT = "most_frequent"
FIXED_LIST = "fixed_list"

RULE_CHOICES: list[tuple[str, str]] = [
    (SAME_SIZE, "Same Size"),
    (LESSER_OR_EQUAL, "Lesser or Equal Value"),
    (MOST_FREQUENT, "Most Frequently Purchased"),
    (FIXED_LIST, "Fixed list of redeemable items"),
]


@dataclass(frozen=True)
class Candidate:
    """An item that may be redeemed; `key` is the caller's id for it (e.g. str(item.pk))."""

    key: str
    size: str
    price: Decimal | None


@dataclass(frozen=True)
class Punch:
    """One unit purchased on the card."""

    item_key: str
    size: str
    price: Decimal | None


def _size_key(size: str) -> str:
    # "30 lb", "30LB" and "30 Lb" are the same bag size.
    return "".join(size.split()).casefold()


def _same_size(candidates: Sequence[Candidate], punches: Sequence[Punch]) -> list[Candidate]:
    sizes = {_size_key(p.size) for p in punches} - {""}
    return [c for c in candidates if _size_key(c.size) in sizes]


def _lesser_or_equal(candidates: Sequence[Candidate], punches: Sequence[Punch]) -> list[Candidate]:
    prices = [p.price for p in punches if p.price is not None]
    if not prices:
        # Nothing to compare against: allowing everything would give away the dearest bag.
        return []
    ceiling = min(prices)
    return [c for c in candidates if c.price is not None and c.price <= ceiling]


def _most_frequent(candidates: Sequence[Candidate], punches: Sequence[Punch]) -> list[Candidate]:
    counts = Counter(p.item_key for p in punches)
    if not counts:
        return []
    top = max(counts.values())
    # Ties: the customer may choose any of the equally frequent items.
    keys = {key for key, count in counts.items() if count == top}
    return [c for c in candidates if c.key in keys]


_RULES = {
    SAME_SIZE: _same_size,
    LESSER_OR_EQUAL: _lesser_or_equal,
    MOST_FREQUENT: _most_frequent,
    FIXED_LIST: lambda candidates, _punches: list(candidates),
}


def allowed_items(
    *,
    rule: str,
    candidates: Sequence[Candidate],
    punches: Sequence[Punch],
    inventory: Collection[str] | None = None,
) -> list[Candidate]:
    """The candidates the card's free-good rule allows, in the candidates' order.

    `inventory` is the keys the store stocks, or None when the POS does not report stock.
    """
    if rule not in _RULES:
        raise ValueError(f"Unknown free-good rule {rule!r}.")
    # SPEC §3: only items the program card's free-good rule allows may be chosen.
    allowed = _RULES[rule](candidates, punches)
    if inventory is not None:
        # SPEC §3: limited to items the store stocks, when the POS tells us its inventory.
        allowed = [c for c in allowed if c.key in inventory]
    return allowed


def is_allowed(
    *,
    rule: str,
    candidates: Sequence[Candidate],
    punches: Sequence[Punch],
    item_key: str,
    inventory: Collection[str] | None = None,
) -> bool:
    """True if `item_key` may be chosen to redeem the card."""
    allowed = allowed_items(rule=rule, candidates=candidates, punches=punches, inventory=inventory)
    return any(c.key == item_key for c in allowed)
