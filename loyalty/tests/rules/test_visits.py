"""Tests for the multi-purchase reason a cashier gives when one visit adds several punches."""

import pytest

from loyalty.rules.visits import MULTI_PURCHASE_REASONS, cards_needing_reason, check_reason


def test_reasons_are_the_ones_the_spec_lists() -> None:
    assert [value for value, _label in MULTI_PURCHASE_REASONS] == [
        "multiple_pets",
        "stocking_up",
        "other_household",
        "paper_card",
        "other",
    ]
    assert dict(MULTI_PURCHASE_REASONS)["other_household"] == "Buying for another household"


def test_only_cards_with_more_than_one_punch_need_a_reason_in_input_order() -> None:
    punches = {"card-9": 2, "card-1": 1, "card-3": 5, "card-4": 0}
    assert cards_needing_reason(punches) == ["card-9", "card-3"]


def test_no_card_needs_a_reason_for_single_punches() -> None:
    assert cards_needing_reason({1: 1, 2: 1}) == []
    assert cards_needing_reason({}) == []


def test_card_keys_can_be_any_hashable() -> None:
    assert cards_needing_reason({(7, "dog food"): 3}) == [(7, "dog food")]


@pytest.mark.parametrize(
    "reason", ["multiple_pets", "stocking_up", "other_household", "paper_card"]
)
def test_listed_reasons_need_no_note(reason: str) -> None:
    check_reason(reason=reason, note="")


def test_other_with_a_note_is_accepted() -> None:
    check_reason(reason="other", note="Shelter donation")


@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_other_needs_a_note(note: str) -> None:
    with pytest.raises(ValueError, match="Add a note"):
        check_reason(reason="other", note=note)


@pytest.mark.parametrize("reason", ["Multiple pets", "bulk", "OTHER"])
def test_reason_must_come_from_the_list(reason: str) -> None:
    with pytest.raises(ValueError, match="from the list"):
        check_reason(reason=reason, note="some note")


def test_no_reason_asks_for_one() -> None:
    with pytest.raises(ValueError, match="Pick a reason for the extra punches."):
        check_reason(reason="", note="some note")
