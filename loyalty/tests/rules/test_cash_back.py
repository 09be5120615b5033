"""Tests for Cash Back accrual and when it becomes redeemable (SPEC §2)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.rules.cash_back import cash_back_for, is_redeemable


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [
        ("100.00", "5", "5.00"),
        ("19.99", "5", "1.00"),  # 0.9995
        ("10.10", "5", "0.51"),  # 0.505 rounds half up, not to even
        ("10.50", "1", "0.11"),  # 0.105; half-even would give 0.10
        ("0.09", "5", "0.00"),  # 0.0045 rounds down
        ("33.33", "2.5", "0.83"),  # 0.83325
        ("12.34", "100", "12.34"),
    ],
)
def test_cash_back_is_rounded_half_up_to_cents(amount: str, percent: str, expected: str) -> None:
    result = cash_back_for(amount=Decimal(amount), percent=Decimal(percent))
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize("amount", ["0", "-20.00"])
def test_zero_or_negative_amount_accrues_nothing(amount: str) -> None:
    assert cash_back_for(amount=Decimal(amount), percent=Decimal("5")) == Decimal("0.00")


@pytest.mark.parametrize("percent", ["0", "-1", "100.01", "NaN"])
def test_percent_must_be_above_zero_and_at_most_100(percent: str) -> None:
    with pytest.raises(ValueError, match="percentage"):
        cash_back_for(amount=Decimal("10"), percent=Decimal(percent))


@given(
    amount=st.decimals(min_value=Decimal("-1000"), max_value=Decimal("100000"), places=2),
    percent=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2),
)
def test_cash_back_is_never_negative_nor_more_than_the_amount(
    amount: Decimal, percent: Decimal
) -> None:
    result = cash_back_for(amount=amount, percent=percent)
    assert Decimal(0) <= result <= max(amount, Decimal(0))
    assert abs(result - max(amount, Decimal(0)) * percent / 100) <= Decimal("0.005")


@pytest.mark.parametrize(
    ("purchases", "required", "accrued", "redeemable"),
    [
        (5, 5, "1.00", True),
        (6, 5, "0.01", True),
        (4, 5, "9.00", False),
        (5, 5, "0.00", False),
    ],
)
def test_redeemable_after_required_purchases_with_something_accrued(
    purchases: int, required: int, accrued: str, redeemable: bool
) -> None:
    assert is_redeemable(purchases=purchases, required=required, accrued=Decimal(accrued)) is (
        redeemable
    )
