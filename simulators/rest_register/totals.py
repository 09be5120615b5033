"""A sale's money, as pure functions: Astro discounts come off after tax, so the customer pays
the full tax owed on a free or discounted item (seed 003, Pinogy's rule)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENTS = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal  # every line at its full price, reward lines too
    tax: Decimal  # on the full subtotal, before any Astro discount
    discounts: Decimal  # Astro discounts given, never more than the subtotal
    total: Decimal  # what the customer pays
    purchases: Decimal  # what Astro is told the customer bought (reward lines left out)


def cents(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENTS, rounding=ROUND_HALF_UP)


def sale_totals(
    *,
    lines: Iterable[tuple[Decimal, bool]],
    discounts: Iterable[Decimal],
    tax_rate: Decimal,
) -> Totals:
    """`lines` are (amount, is_reward) pairs; `discounts` the Astro discounts applied."""
    lines = list(lines)
    subtotal = cents(sum((amount for amount, _reward in lines), ZERO))
    purchases = cents(sum((amount for amount, reward in lines if not reward), ZERO))
    tax = cents(subtotal * tax_rate)
    given = min(cents(sum(discounts, ZERO)), max(subtotal, ZERO))
    return Totals(subtotal, tax, given, subtotal + tax - given, purchases)


def money(amount: Decimal | None) -> str:
    """$1,234.50, or -$5.00 for a discount."""
    value = cents(amount or ZERO)
    return f"-${-value:,}" if value < 0 else f"${value:,}"
