"""Tests for product-code rules: check digits, UPC/EAN/GTIN equivalence and admin messages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.rules.upc import (
    InvalidCode,
    clean_code,
    describe_code_problem,
    gtin_check_digit,
    gtin_key,
    is_valid_gtin,
    item_number_key,
    looks_like_gtin,
    validate_upc,
)

# Published codes with known-good check digits (not computed by the code under test).
UPC_A = "036000291452"
UPC_A_2 = "012345678905"
EAN_13 = "4006381333931"
GTIN_8 = "96385074"

gtin_bodies = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)


def with_check_digit(body: str) -> str:
    return body + str(gtin_check_digit(body))


def wrong_check_digit(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


@pytest.mark.parametrize(
    ("body", "expected"),
    [("03600029145", 2), ("01234567890", 5), ("400638133393", 1), ("9638507", 4)],
)
def test_check_digit_matches_published_codes(body: str, expected: int) -> None:
    assert gtin_check_digit(body) == expected


@pytest.mark.parametrize("body", ["", "12a4", "１２３"])
def test_check_digit_refuses_non_digits(body: str) -> None:
    with pytest.raises(ValueError, match="digits"):
        gtin_check_digit(body)


@given(body=gtin_bodies, wrong=st.integers(min_value=1, max_value=9))
def test_only_the_computed_check_digit_is_valid(body: str, wrong: int) -> None:
    """Every other final digit is rejected, so a single mistyped check digit is caught."""
    good = gtin_check_digit(body)
    assert is_valid_gtin(body + str(good))
    assert not is_valid_gtin(body + str((good + wrong) % 10))


@given(body=gtin_bodies, position=st.integers(min_value=0), change=st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught(body: str, position: int, change: int) -> None:
    """GS1 mod-10 catches every single-digit error, which is why scans are trusted."""
    code = with_check_digit(body)
    i = position % len(code)
    typo = code[:i] + str((int(code[i]) + change) % 10) + code[i + 1 :]
    assert not is_valid_gtin(typo)


@pytest.mark.parametrize("code", [UPC_A, UPC_A_2, EAN_13, GTIN_8, "00036000291452"])
def test_valid_gtins_of_every_length(code: str) -> None:
    assert is_valid_gtin(code)


@pytest.mark.parametrize(
    "code",
    ["036000291453", "0360002914", "0360002914520000", "03600029145X", "", "٠٣٦٠٠٠٢٩١٤٥٢"],
)
def test_invalid_gtins(code: str) -> None:
    """Wrong check digit, wrong length, letters, empty and non-ASCII digits are all invalid."""
    assert not is_valid_gtin(code)


def test_clean_code_drops_spaces_and_hyphens_people_type() -> None:
    assert clean_code(" 0 12345 67890 5\t") == UPC_A_2
    assert clean_code("0-12345-67890-5") == UPC_A_2


def test_upc_a_and_ean_13_with_leading_zero_share_a_key() -> None:
    """SPEC: a UPC-A equals the EAN-13 with a leading 0."""
    assert gtin_key(UPC_A) == gtin_key("0" + UPC_A) == "00036000291452"


def test_gtin_8_and_14_match_after_zero_padding() -> None:
    assert gtin_key(GTIN_8) == gtin_key("000000" + GTIN_8) == "000000" + GTIN_8
    assert gtin_key("0" + EAN_13) == gtin_key(EAN_13) == "0" + EAN_13


def test_gtin_key_accepts_the_way_people_type_codes() -> None:
    assert gtin_key("0 36000 29145 2") == gtin_key("036000-291452") == "00036000291452"


@pytest.mark.parametrize("raw", ["036000291453", "ABC-123", "", "12345", "3600029145"])
def test_gtin_key_is_none_for_codes_that_are_not_valid_gtins(raw: str) -> None:
    assert gtin_key(raw) is None


@given(body=st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_any_upc_a_matches_its_ean_13_and_gtin_14(body: str) -> None:
    upc = with_check_digit(body)
    key = gtin_key(upc)
    assert key is not None and len(key) == 14
    assert gtin_key("0" + upc) == key
    assert gtin_key("00" + upc) == key


@given(body=st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_different_upcs_never_share_a_key(body: str) -> None:
    upc = with_check_digit(body)
    other = with_check_digit(str((int(body) + 1) % 10**11).zfill(11))
    assert gtin_key(upc) != gtin_key(other)


@pytest.mark.parametrize(
    ("raw", "key"),
    [("  ab-12 ", "AB-12"), ("Kibble   Large\tBag", "KIBBLE LARGE BAG"), ("", ""), ("   ", "")],
)
def test_item_number_key_ignores_case_and_spacing(raw: str, key: str) -> None:
    assert item_number_key(raw) == key


def test_item_number_key_keeps_hyphens_and_inner_words_apart() -> None:
    assert item_number_key("AB-12") != item_number_key("AB12")
    assert item_number_key("AB 12") != item_number_key("AB12")


@pytest.mark.parametrize(
    ("raw", "looks"),
    [
        ("036000291453", True),  # bad check digit still looks like one
        ("0 36000 29145 2", True),
        (GTIN_8, True),
        ("123456789", False),
        ("03600029145X", False),
        ("", False),
    ],
)
def test_looks_like_gtin_checks_only_digits_and_length(raw: str, looks: bool) -> None:
    assert looks_like_gtin(raw) is looks


@pytest.mark.parametrize("raw", [UPC_A, "0 36000 29145 2", " 036000-291452 "])
def test_validate_upc_returns_the_clean_12_digits(raw: str) -> None:
    assert validate_upc(raw) == UPC_A


def test_validate_upc_names_the_right_check_digit() -> None:
    with pytest.raises(InvalidCode) as caught:
        validate_upc("012345678906")
    assert str(caught.value) == "The check digit of 012345678906 should be 5, not 6."


def test_ean_13_entered_as_upc_gets_the_12_digit_upc_as_a_hint() -> None:
    """SPEC: an entry that looks like an EAN where a UPC was expected gets a clear hint."""
    with pytest.raises(InvalidCode) as caught:
        validate_upc("0" + UPC_A)
    assert str(caught.value) == (
        "This looks like an EAN-13. The UPC your POS rings is the last 12 digits: 036000291452."
    )
    assert caught.value.suggestion == UPC_A


def test_gtin_14_padded_with_zeros_also_gets_the_upc_hint() -> None:
    with pytest.raises(InvalidCode, match="GTIN-14.*036000291452") as caught:
        validate_upc("00" + UPC_A)
    assert caught.value.suggestion == UPC_A


def test_ean_13_without_leading_zero_has_no_upc_form() -> None:
    with pytest.raises(InvalidCode, match="EAN-13.*no 12-digit UPC form") as caught:
        validate_upc(EAN_13)
    assert caught.value.suggestion is None


def test_ean_13_with_bad_check_digit_reports_the_check_digit_not_a_hint() -> None:
    """A hint would point the admin to a 12-digit code that is just as wrong."""
    with pytest.raises(InvalidCode, match="check digit of 0036000291453 should be 2, not 3"):
        validate_upc("0036000291453")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Enter a UPC."),
        ("   ", "Enter a UPC."),
        ("03600029145X", "A UPC has only digits, but '03600029145X' has other characters."),
        ("12345", "A UPC has 12 digits, but 12345 has 5."),
        (GTIN_8, "A UPC has 12 digits, but 96385074 has 8."),
    ],
)
def test_validate_upc_says_what_is_wrong(raw: str, message: str) -> None:
    with pytest.raises(InvalidCode) as caught:
        validate_upc(raw)
    assert str(caught.value) == message


def test_invalid_code_is_a_value_error() -> None:
    """Callers such as form cleaning catch ValueError."""
    with pytest.raises(ValueError, match="check digit"):
        validate_upc("012345678906")


@pytest.mark.parametrize("raw", [UPC_A, "0" + UPC_A, EAN_13, GTIN_8, "0 36000 29145 2"])
def test_describe_code_problem_is_none_for_valid_gtins(raw: str) -> None:
    assert describe_code_problem(raw) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("012345678906", "The check digit of 012345678906 should be 5, not 6."),
        ("12345", "A product code has 8, 12, 13 or 14 digits, but 12345 has 5."),
        ("AB12", "A product code has only digits, but 'AB12' has other characters."),
        ("", "Enter a product code."),
    ],
)
def test_describe_code_problem_explains_why_a_scan_matched_nothing(raw: str, message: str) -> None:
    assert describe_code_problem(raw) == message


@given(code=st.one_of(st.text(max_size=16), st.text(alphabet="0123456789 -", max_size=16)))
def test_describe_code_problem_agrees_with_gtin_key(code: str) -> None:
    """A code has a matching key exactly when there is no problem to describe."""
    assert (describe_code_problem(code) is None) == (gtin_key(code) is not None)


@given(body=st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_validate_upc_and_describe_code_problem_agree_on_check_digits(body: str) -> None:
    bad = wrong_check_digit(with_check_digit(body))
    problem = describe_code_problem(bad)
    assert problem is not None
    with pytest.raises(InvalidCode) as caught:
        validate_upc(bad)
    assert str(caught.value) == problem
