"""Which card a sale line punches, and the reason an Unknown Item gives."""

from loyalty.rules.matching import PUNCH, UNKNOWN, CardOption, decide_match


def test_an_enrolled_card_is_punched():
    match = decide_match(item_found=True, options=[CardOption(7, "Acana Dog", True)])
    assert match.outcome == PUNCH
    assert match.program_card_id == 7


def test_the_first_enrolled_card_wins_so_a_line_never_punches_twice():
    options = [CardOption(3, "A", False), CardOption(5, "B", True), CardOption(9, "C", True)]
    assert decide_match(item_found=True, options=options).program_card_id == 5


def test_a_program_the_store_is_not_enrolled_in_is_named():
    match = decide_match(item_found=True, options=[CardOption(3, "Orijen Cat", False)])
    assert match.outcome == UNKNOWN
    assert "not enrolled in Orijen Cat" in match.reason


def test_a_known_brand_with_a_size_not_on_the_card_says_so():
    match = decide_match(item_found=True, options=[], brand_program="Acana Dog")
    assert match.outcome == UNKNOWN
    assert "size is not on the card" in match.reason


def test_an_unknown_code_with_a_bad_check_digit_says_so():
    match = decide_match(item_found=False, options=[], code_problem="Bad check digit.")
    assert match.reason == "Bad check digit."


def test_an_unknown_code_says_no_program_has_it():
    match = decide_match(item_found=False, options=[])
    assert match.outcome == UNKNOWN
    assert "No program" in match.reason
