"""Tests for points earned on sales, taken back on returns, and manual adjustments."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.rules.points import (
    PointsBasis,
    apply_adjustment,
    points_for_sale,
    points_to_take_back,
)

money = st.decimals(min_value=Decimal("-10000"), max_value=Decimal("10000"), places=2)


def test_points_are_whole_dollars_of_the_subtotal_by_default_setting() -> None:
    """SPEC §2: subtotal before tax and discounts, rounded down to whole dollars."""
    points = points_for_sale(subtotal=Decimal("42.99"), total=Decimal("45.13"), basis="subtotal")
    assert points == 42


def test_retailer_setting_switches_points_to_the_total() -> None:
    points = points_for_sale(subtotal=Decimal("42.99"), total=Decimal("45.13"), basis="total")
    assert points == 45


def test_basis_accepts_the_enum_as_well_as_its_value() -> None:
    assert PointsBasis.TOTAL == "total"
    points = points_for_sale(subtotal=Decimal("10"), total=Decimal("20"), basis=PointsBasis.TOTAL)
    assert points == 20


def test_points_per_dollar_multiplies_whole_dollars_not_cents() -> None:
    points = points_for_sale(
        subtotal=Decimal("9.99"), total=Decimal("0"), basis="subtotal", points_per_dollar=3
    )
    assert points == 27


@pytest.mark.parametrize("amount", ["0", "0.99", "-5.00", "-0.01"])
def test_zero_small_or_negative_sales_earn_nothing(amount: str) -> None:
    assert points_for_sale(subtotal=Decimal(amount), total=Decimal(amount), basis="total") == 0


def test_unknown_basis_is_refused() -> None:
    with pytest.raises(ValueError, match="'subtotal' or 'total', not 'net'"):
        points_for_sale(subtotal=Decimal("1"), total=Decimal("1"), basis="net")


def test_negative_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="Points per dollar"):
        points_for_sale(
            subtotal=Decimal("1"), total=Decimal("1"), basis="total", points_per_dollar=-1
        )


@pytest.mark.parametrize("amount", ["NaN", "Infinity"])
def test_amounts_that_are_not_numbers_are_refused(amount: str) -> None:
    with pytest.raises(ValueError, match="must be a number"):
        points_for_sale(subtotal=Decimal(amount), total=Decimal(amount), basis="subtotal")


@given(subtotal=money, total=money, rate=st.integers(min_value=0, max_value=10))
def test_points_are_never_negative_nor_more_than_the_amount_allows(
    subtotal: Decimal, total: Decimal, rate: int
) -> None:
    points = points_for_sale(
        subtotal=subtotal, total=total, basis="subtotal", points_per_dollar=rate
    )
    assert 0 <= points <= max(subtotal, Decimal(0)) * rate


@pytest.mark.parametrize("returned", ["25.50", "-25.50"])
def test_return_takes_back_whole_dollars_whatever_the_sign(returned: str) -> None:
    """SPEC §3: points earned on the returned amount are taken back too."""
    assert points_to_take_back(returned_amount=Decimal(returned), balance=100) == 25


def test_return_takes_back_at_the_earning_rate() -> None:
    taken = points_to_take_back(returned_amount=Decimal("10.00"), balance=100, points_per_dollar=2)
    assert taken == 20


def test_return_never_takes_the_balance_below_zero() -> None:
    assert points_to_take_back(returned_amount=Decimal("80"), balance=30) == 30


@pytest.mark.parametrize("balance", [0, -5])
def test_return_takes_nothing_from_an_empty_balance(balance: int) -> None:
    assert points_to_take_back(returned_amount=Decimal("80"), balance=balance) == 0


@given(amount=money, balance=st.integers(min_value=-100, max_value=10_000))
def test_taking_back_keeps_the_balance_at_or_above_zero(amount: Decimal, balance: int) -> None:
    taken = points_to_take_back(returned_amount=amount, balance=balance)
    assert taken >= 0
    assert taken <= max(balance, 0)


@given(amount=st.decimals(min_value=Decimal("0"), max_value=Decimal("10000"), places=2))
def test_returning_a_whole_sale_takes_back_what_it_earned(amount: Decimal) -> None:
    earned = points_for_sale(subtotal=amount, total=amount, basis="subtotal")
    assert points_to_take_back(returned_amount=-amount, balance=earned) == earned


@pytest.mark.parametrize(("balance", "delta", "after"), [(30, 20, 50), (30, -30, 0), (0, 5, 5)])
def test_adjustment_changes_the_balance(balance: int, delta: int, after: int) -> None:
    assert apply_adjustment(balance=balance, delta=delta) == after


def test_negative_adjustment_cannot_exceed_the_balance() -> None:
    with pytest.raises(ValueError, match="Cannot take away 31 points; the balance is only 30"):
        apply_adjustment(balance=30, delta=-31)
