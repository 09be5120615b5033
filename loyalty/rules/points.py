"""Points arithmetic: points earned on a sale, taken back on a return, and manual adjustments."""

from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum


class PointsBasis(StrEnum):
    """Which amount of a sale earns points; a retailer setting (SPEC §2)."""

    SUBTOTAL = "subtotal"
    TOTAL = "total"


def _whole_dollars(amount: Decimal) -> int:
    if not amount.is_finite():
        raise ValueError(f"An amount of money must be a number, not {amount}.")
    return int(amount.to_integral_value(rounding=ROUND_FLOOR))


def _check_rate(points_per_dollar: int) -> None:
    if points_per_dollar < 0:
        raise ValueError(f"Points per dollar must be 0 or more, not {points_per_dollar}.")


def points_for_sale(
    *, subtotal: Decimal, total: Decimal, basis: str, points_per_dollar: int = 1
) -> int:
    """Points a sale earns: whole dollars of the chosen amount times the rate; never negative."""
    # SPEC §2: whole dollars of the subtotal (before tax and discounts) unless set to the total.
    try:
        chosen = PointsBasis(basis)
    except ValueError:
        raise ValueError(f"Points are based on 'subtotal' or 'total', not {basis!r}.") from None
    _check_rate(points_per_dollar)
    amount = subtotal if chosen is PointsBasis.SUBTOTAL else total
    return max(_whole_dollars(amount), 0) * points_per_dollar


def points_to_take_back(
    *, returned_amount: Decimal, balance: int, points_per_dollar: int = 1
) -> int:
    """Points a return removes: whole dollars returned times the rate, capped at the balance."""
    _check_rate(points_per_dollar)
    # POS systems report returns as negative or positive amounts; only the size matters.
    earned = _whole_dollars(abs(returned_amount)) * points_per_dollar
    # SPEC §3: points earned on the returned amount are taken back, never below zero.
    return max(min(earned, balance), 0)


def apply_adjustment(*, balance: int, delta: int) -> int:
    """The balance after a manual adjustment; a deduction may not exceed the balance."""
    new_balance = balance + delta
    if new_balance < 0:
        raise ValueError(f"Cannot take away {-delta} points; the balance is only {balance}.")
    return new_balance
