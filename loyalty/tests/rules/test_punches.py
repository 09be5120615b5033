"""Tests for splitting a purchase's punches across the open card and new cards (SPEC §3)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.rules.punches import split_punches


@pytest.mark.parametrize(
    ("current", "required", "quantity", "chunks"),
    [
        (10, 12, 5, [2, 3]),
        (0, 12, 30, [12, 12, 6]),
        (0, 12, 12, [12]),
        (0, 12, 1, [1]),
        (11, 12, 1, [1]),
        (11, 12, 2, [1, 1]),
        (11, 12, 25, [1, 12, 12]),
        (5, 12, 3, [3]),
        (0, 1, 3, [1, 1, 1]),
    ],
)
def test_punches_fill_the_open_card_then_start_new_cards(
    current: int, required: int, quantity: int, chunks: list[int]
) -> None:
    assert split_punches(current=current, required=required, quantity=quantity) == chunks


def test_quantity_zero_adds_no_punches() -> None:
    assert split_punches(current=4, required=12, quantity=0) == []


def test_negative_quantity_is_refused_because_returns_use_another_rule() -> None:
    with pytest.raises(ValueError, match="quantity of 0 or more, not -1"):
        split_punches(current=0, required=12, quantity=-1)


@pytest.mark.parametrize("required", [0, -3])
def test_a_card_needs_at_least_one_punch(required: int) -> None:
    with pytest.raises(ValueError, match="at least 1 punch"):
        split_punches(current=0, required=required, quantity=1)


@pytest.mark.parametrize("current", [-1, 12, 13])
def test_open_card_count_must_be_below_required(current: int) -> None:
    with pytest.raises(ValueError, match="open card holds 0 to 11 punches"):
        split_punches(current=current, required=12, quantity=1)


@given(
    data=st.data(),
    required=st.integers(min_value=1, max_value=30),
    quantity=st.integers(min_value=0, max_value=500),
)
def test_punches_never_vanish_and_no_card_overflows(
    data: st.DataObject, required: int, quantity: int
) -> None:
    """SPEC §3: punches beyond N start the next card, never vanish."""
    current = data.draw(st.integers(min_value=0, max_value=required - 1))
    chunks = split_punches(current=current, required=required, quantity=quantity)
    assert sum(chunks) == quantity
    assert all(chunk > 0 for chunk in chunks)
    if chunks:
        assert chunks[0] <= required - current
        assert all(chunk == required for chunk in chunks[1:-1])
        assert all(chunk <= required for chunk in chunks)
        # A new card is only started once the open card is full.
        if len(chunks) > 1:
            assert chunks[0] == required - current
