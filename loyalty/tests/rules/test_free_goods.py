"""Tests for which items may be chosen to redeem a complete card under each free-good rule."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.rules.free_goods import (
    FIXED_LIST,
    LESSER_OR_EQUAL,
    MOST_FREQUENT,
    RULE_CHOICES,
    SAME_SIZE,
    Candidate,
    Punch,
    allowed_items,
    is_allowed,
)

SMALL = Candidate(key="1", size="5 lb", price=Decimal("12.99"))
MEDIUM = Candidate(key="2", size="15 lb", price=Decimal("29.99"))
LARGE = Candidate(key="3", size="30 lb", price=Decimal("49.99"))
UNPRICED = Candidate(key="4", size="30 LB", price=None)
CANDIDATES = [SMALL, MEDIUM, LARGE, UNPRICED]


def punch(key: str, size: str = "15 lb", price: str | None = "29.99") -> Punch:
    return Punch(item_key=key, size=size, price=None if price is None else Decimal(price))


def keys(candidates: list[Candidate]) -> list[str]:
    return [c.key for c in candidates]


def test_rule_choices_cover_every_rule_with_its_label() -> None:
    assert RULE_CHOICES == [
        (SAME_SIZE, "Same Size"),
        (LESSER_OR_EQUAL, "Lesser or Equal Value"),
        (MOST_FREQUENT, "Most Frequently Purchased"),
        (FIXED_LIST, "Fixed list of redeemable items"),
    ]


def test_fixed_list_allows_every_candidate_in_order() -> None:
    allowed = allowed_items(rule=FIXED_LIST, candidates=CANDIDATES, punches=[])
    assert allowed == CANDIDATES


def test_same_size_allows_sizes_purchased_ignoring_case_and_spaces() -> None:
    punches = [punch("3", size="30lb"), punch("3", size="30 Lb")]
    allowed = allowed_items(rule=SAME_SIZE, candidates=CANDIDATES, punches=punches)
    assert keys(allowed) == ["3", "4"]


def test_same_size_allows_every_size_on_a_mixed_card() -> None:
    punches = [punch("1", size="5 lb"), punch("3", size="30 lb")]
    allowed = allowed_items(rule=SAME_SIZE, candidates=CANDIDATES, punches=punches)
    assert keys(allowed) == ["1", "3", "4"]


def test_same_size_never_matches_a_blank_size() -> None:
    """An unknown size on both sides is not evidence that the sizes are the same."""
    blank = Candidate(key="9", size=" ", price=Decimal("1"))
    allowed = allowed_items(rule=SAME_SIZE, candidates=[blank], punches=[punch("1", size="")])
    assert allowed == []


def test_lesser_or_equal_uses_the_least_valued_purchase_on_the_card() -> None:
    punches = [punch("3", price="49.99"), punch("2", price="29.99"), punch("2", price=None)]
    allowed = allowed_items(rule=LESSER_OR_EQUAL, candidates=CANDIDATES, punches=punches)
    assert keys(allowed) == ["1", "2"]  # 29.99 itself is allowed; unpriced item is not


def test_lesser_or_equal_allows_nothing_when_no_purchase_price_is_known() -> None:
    punches = [punch("2", price=None)]
    assert allowed_items(rule=LESSER_OR_EQUAL, candidates=CANDIDATES, punches=punches) == []


def test_most_frequent_allows_the_item_bought_most_often() -> None:
    punches = [punch("2"), punch("3"), punch("2")]
    allowed = allowed_items(rule=MOST_FREQUENT, candidates=CANDIDATES, punches=punches)
    assert keys(allowed) == ["2"]


def test_most_frequent_allows_every_tied_item() -> None:
    punches = [punch("3"), punch("1"), punch("3"), punch("1"), punch("2")]
    allowed = allowed_items(rule=MOST_FREQUENT, candidates=CANDIDATES, punches=punches)
    assert keys(allowed) == ["1", "3"]


def test_most_frequent_allows_nothing_for_an_empty_card() -> None:
    assert allowed_items(rule=MOST_FREQUENT, candidates=CANDIDATES, punches=[]) == []


def test_most_frequent_item_must_be_a_candidate() -> None:
    allowed = allowed_items(rule=MOST_FREQUENT, candidates=CANDIDATES, punches=[punch("77")])
    assert allowed == []


@pytest.mark.parametrize("rule", [FIXED_LIST, SAME_SIZE, LESSER_OR_EQUAL, MOST_FREQUENT])
def test_inventory_limits_every_rule_to_items_the_store_stocks(rule: str) -> None:
    """SPEC §3: limited to items the store stocks, when the POS tells us its inventory."""
    punches = [punch("2", size="15 lb", price="29.99")]
    without = allowed_items(rule=rule, candidates=CANDIDATES, punches=punches)
    assert "2" in keys(without)
    limited = allowed_items(rule=rule, candidates=CANDIDATES, punches=punches, inventory={"1"})
    assert "2" not in keys(limited)
    assert set(keys(limited)) <= {"1"}


def test_empty_inventory_allows_nothing_but_no_inventory_allows_all() -> None:
    assert allowed_items(rule=FIXED_LIST, candidates=CANDIDATES, punches=[], inventory=[]) == []
    assert allowed_items(rule=FIXED_LIST, candidates=CANDIDATES, punches=[], inventory=None) == (
        CANDIDATES
    )


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown free-good rule 'cheapest'"):
        allowed_items(rule="cheapest", candidates=CANDIDATES, punches=[])


def test_is_allowed_answers_for_one_item() -> None:
    punches = [punch("2", price="29.99")]
    args = {"rule": LESSER_OR_EQUAL, "candidates": CANDIDATES, "punches": punches}
    assert is_allowed(**args, item_key="1")
    assert not is_allowed(**args, item_key="3")
    assert not is_allowed(**args, item_key="1", inventory={"2"})


def test_is_allowed_refuses_unknown_rule_too() -> None:
    with pytest.raises(ValueError, match="Unknown"):
        is_allowed(rule="x", candidates=CANDIDATES, punches=[], item_key="1")


prices = st.none() | st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)
candidate_lists = st.lists(
    st.builds(
        Candidate, key=st.sampled_from("abcdef"), size=st.sampled_from(["S", "L"]), price=prices
    ),
    max_size=8,
)
punch_lists = st.lists(
    st.builds(
        Punch, item_key=st.sampled_from("abcdef"), size=st.sampled_from(["s", "l"]), price=prices
    ),
    max_size=12,
)


@given(
    rule=st.sampled_from([FIXED_LIST, SAME_SIZE, LESSER_OR_EQUAL, MOST_FREQUENT]),
    candidates=candidate_lists,
    punches=punch_lists,
    inventory=st.none() | st.sets(st.sampled_from("abcdef")),
)
def test_allowed_items_are_candidates_in_order_and_in_stock(
    rule: str,
    candidates: list[Candidate],
    punches: list[Punch],
    inventory: set[str] | None,
) -> None:
    allowed = allowed_items(rule=rule, candidates=candidates, punches=punches, inventory=inventory)
    remaining = iter(candidates)
    assert all(any(c is a for c in remaining) for a in allowed)  # an ordered subsequence
    if inventory is not None:
        assert all(a.key in inventory for a in allowed)
    for a in allowed:
        assert is_allowed(
            rule=rule, candidates=candidates, punches=punches, inventory=inventory, item_key=a.key
        )


@given(candidates=candidate_lists, punches=punch_lists)
def test_lesser_or_equal_never_allows_more_than_the_cheapest_purchase(
    candidates: list[Candidate], punches: list[Punch]
) -> None:
    allowed = allowed_items(rule=LESSER_OR_EQUAL, candidates=candidates, punches=punches)
    paid = [p.price for p in punches if p.price is not None]
    for a in allowed:
        assert a.price is not None and a.price <= min(paid)
