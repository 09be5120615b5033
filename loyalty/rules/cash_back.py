"""Cash Back arithmetic: what a purchase accrues and when the accrual can be redeemed."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cash_back_for(*, amount: Decimal, percent: Decimal) -> Decimal:
    """Cash back on a qualifying amount, rounded half-up to cents; 0.00 for no positive amount."""
    if not (percent.is_finite() and 0 < percent <= 100):
        raise ValueError(
            f"The cash back percentage must be above 0 and at most 100, not {percent}."
        )
    if not amount.is_finite():
        raise ValueError(f"An amount of money must be a number, not {amount}.")
    if amount <= 0:
        return ZERO
    # SPEC §2: a percentage of the sale's subtotal (or total) accrues.
    return (amount * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def is_redeemable(*, purchases: int, required: int, accrued: Decimal) -> bool:
    """True once the customer made the required purchases and has something to redeem."""
    # SPEC §2: redeemable after N purchases.
    return purchases >= required and accrued > 0
