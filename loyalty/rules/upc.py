"""Product codes: cleaning, GS1 check digits, and matching keys for GTINs and item numbers."""

import re

GTIN_LENGTHS = (8, 12, 13, 14)
_SEPARATORS = re.compile(r"[\s\-]+")


class InvalidCode(ValueError):
    """A code a person entered or scanned is not usable; str(exc) is a sentence for them."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def clean_code(raw: str) -> str:
    """Drop whitespace and hyphens anywhere, as people type "0 12345 67890 5"."""
    return _SEPARATORS.sub("", raw)


def _is_digits(code: str) -> bool:
    # str.isdigit() alone accepts "²" and Arabic-Indic digits, which no scanner sends.
    return code.isascii() and code.isdigit()


def gtin_check_digit(body: str) -> int:
    """GS1 mod-10 check digit for `body`, the code without its check digit."""
    if not body or not _is_digits(body):
        raise ValueError(f"A check digit can only be computed from digits, not {body!r}.")
    # GS1: weights 3, 1, 3, ... starting from the digit next to the check digit. (Each weight's
    # digits summed by map(): a sale's codes are checked on every import, issue 12.)
    backwards = body[::-1]
    total = 3 * sum(map(int, backwards[0::2])) + sum(map(int, backwards[1::2]))
    return (10 - total % 10) % 10


def _has_gtin_shape(code: str) -> bool:
    return _is_digits(code) and len(code) in GTIN_LENGTHS


def looks_like_gtin(raw: str) -> bool:
    """True if the cleaned code is all digits with a GTIN length, whatever its check digit."""
    return _has_gtin_shape(clean_code(raw))


def is_valid_gtin(code: str) -> bool:
    """True for a GTIN-8, UPC-A (GTIN-12), EAN-13 or GTIN-14 with a correct check digit.

    `code` must already be clean; use gtin_key() for raw input.
    """
    return _has_gtin_shape(code) and _check_digit_ok(code)


def _check_digit_ok(code: str) -> bool:
    return gtin_check_digit(code[:-1]) == int(code[-1])


def _check_digit_problem(code: str) -> str | None:
    expected = gtin_check_digit(code[:-1])
    if expected == int(code[-1]):
        return None
    return f"The check digit of {code} should be {expected}, not {code[-1]}."


def _code_problem(code: str, what: str, lengths: tuple[int, ...], lengths_text: str) -> str | None:
    """The first thing wrong with a clean `code`, checked the way a person would fix it."""
    if not code:
        return f"Enter a {what}."
    if not _is_digits(code):
        return f"A {what} has only digits, but {code!r} has other characters."
    if len(code) not in lengths:
        return f"A {what} has {lengths_text} digits, but {code} has {len(code)}."
    return _check_digit_problem(code)


def gtin_key(raw: str) -> str | None:
    """The 14-digit matching key of a valid GTIN, or None.

    SPEC: a UPC-A equals the EAN-13 with a leading 0, so every length is zero-padded to 14.
    """
    code = clean_code(raw)
    if not is_valid_gtin(code):
        return None
    return code.zfill(14)


def item_number_key(raw: str) -> str:
    """Key for matching a free-text POS item number: outer space trimmed, inner collapsed, upper."""
    # POS exports differ in case and padding ("ab-12 " vs "AB-12"); hyphens stay significant here.
    return " ".join(raw.split()).upper()


def _upc_from_longer(code: str) -> InvalidCode:
    """The error for a valid 13- or 14-digit GTIN entered where a UPC-A was expected."""
    name = "an EAN-13" if len(code) == 13 else "a GTIN-14"
    padding, upc = code[:-12], code[-12:]
    if set(padding) == {"0"}:
        # SPEC: an entry that looks like an EAN where a UPC was expected gets a clear hint.
        message = f"This looks like {name}. The UPC your POS rings is the last 12 digits: {upc}."
        return InvalidCode(message, suggestion=upc)
    return InvalidCode(f"This looks like {name} ({code}), which has no 12-digit UPC form.")


def validate_upc(raw: str) -> str:
    """The clean 12-digit UPC-A for an admin entry, or InvalidCode saying what to fix."""
    code = clean_code(raw)
    # 13 and 14 digits pass here so a valid EAN/GTIN-14 gets the specific message below.
    problem = _code_problem(code, "UPC", (12, 13, 14), "12")
    if problem is not None:
        raise InvalidCode(problem)
    if len(code) > 12:
        raise _upc_from_longer(code)
    return code


def describe_code_problem(raw: str) -> str | None:
    """None when `raw` is a valid GTIN; otherwise a sentence saying why it cannot match."""
    return _code_problem(clean_code(raw), "product code", GTIN_LENGTHS, "8, 12, 13 or 14")
