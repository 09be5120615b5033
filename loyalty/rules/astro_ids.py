"""The text of the QR code on an owner's card page (SPEC §8): `ASTRO-<Astro id>-<check digit>`,
which a scanner types into Customer Lookup followed by Enter."""

import re

from .upc import gtin_check_digit

PREFIX = "ASTRO"
# Scanners type what the code holds; some keyboard layouts send the hyphen as an underscore.
_SCANNED = re.compile(r"^\s*ASTRO[-_](\d{1,18})[-_](\d)\s*$", re.IGNORECASE)


def astro_id_text(owner_id: int) -> str:
    """What the QR code encodes. The check digit means a half-typed or misread id finds no one,
    rather than another owner whose id is its prefix."""
    return f"{PREFIX}-{owner_id}-{gtin_check_digit(str(owner_id))}"


def scanned_owner_id(text: str) -> int | None:
    """The Astro id in a scanned (or typed) QR text; None for any other search text."""
    match = _SCANNED.match(text or "")
    if match is None:
        return None
    digits, check = match.groups()
    if gtin_check_digit(digits) != int(check):
        return None
    return int(digits)
