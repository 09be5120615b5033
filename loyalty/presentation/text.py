"""How names, phone numbers and times read on every screen and in every CSV: one style each."""

from datetime import date, datetime

from django.utils import dateformat, timezone

# One date style (issue: "p.m." beside "PM"): the store's local time, 12-hour clock, "AM"/"PM".
WHEN_FORMAT = "M j, Y g:i A"
DAY_FORMAT = "M j, Y"


def when(moment: datetime | None) -> str:
    """A moment in the active time zone (the store's), as the screens and CSVs show it."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return dateformat.format(moment, WHEN_FORMAT)


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, DAY_FORMAT)


def national_phone(raw: str) -> str:
    """A North American number in national format, (217) 555-0123, however it was stored
    (+1 217 555 0123, 217.555.0126, 3125550135); anything else is shown as it was typed."""
    digits = "".join(ch for ch in raw or "" if ch.isascii() and ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return raw or ""
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def card_title(program_name: str, card_name: str) -> str:
    """A card's name without saying it twice: a custom program's only card is often named like
    the program ("Dog Wash Club — Buy 8 Washes Get 1 Free — Buy 8 Washes Get 1 Free")."""
    program_name, card_name = program_name.strip(), card_name.strip()
    if not card_name or card_name.casefold() in program_name.casefold():
        return program_name
    if program_name.casefold() in card_name.casefold():
        return card_name
    return f"{program_name} — {card_name}"


def item_name(description: str, size: str) -> str:
    """An item with its size said once: nothing added when the description carries the size,
    and a shared word joined ("…, Case of 24" and "24 x 3 oz" read "…, Case of 24 x 3 oz")."""
    description, size = " ".join(description.split()), " ".join(size.split())
    if not size or size.casefold() in description.casefold():
        return description
    last, _space, rest = size.partition(" ")
    if rest and description.rsplit(" ", 1)[-1].casefold() == last.casefold():
        return f"{description} {rest}"
    return f"{description} {size}"
