"""Reading the scalars of Heartland Retail JSON, strictly: a shape Astro does not understand is a
clear PosBadResponse, never a wrong number.

Heartland sends ids and amounts as JSON numbers, text as strings and "nothing" as null; the
client parses numbers as Decimal (notes §4). Money stays Decimal, unrounded.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from integrations.base import PosBadResponse


def obj(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        sent = "nothing" if value is None else f"a {type(value).__name__}"
        raise PosBadResponse(f"Heartland sent {sent} where a {name} belongs.")
    return value


def text(record: dict[str, Any], field: str) -> str:
    """A string field; null and absent are "", a number is its digits."""
    value = record.get(field)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise PosBadResponse(f"Heartland sent a {type(value).__name__} for {field}.")
    return str(value).strip()


def optional_id(record: dict[str, Any], field: str) -> str | None:
    """An id (a whole number), or None when it is null, absent or 0."""
    value = record.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise PosBadResponse(f"Heartland sent {value!r} for {field}, not an id.")
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise PosBadResponse(f"Heartland sent {value} for {field}, not an id.")
        value = int(value)
    found = str(value).strip()
    if not found.isdigit():
        raise PosBadResponse(f"Heartland sent {found!r} for {field}, not an id.")
    return None if int(found) == 0 else str(int(found))


def required_id(record: dict[str, Any], field: str) -> str:
    found = optional_id(record, field)
    if found is None:
        raise PosBadResponse(f"Heartland sent no {field}.")
    return found


def number(record: dict[str, Any], field: str, default: Decimal | None = None) -> Decimal:
    """A number: a JSON number, or a string of one (webhook bodies carry "72.95", notes §6)."""
    value = record.get(field)
    if value is None or value == "":
        if default is None:
            raise PosBadResponse(f"Heartland sent no {field}.")
        return default
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise PosBadResponse(f"Heartland sent a {type(value).__name__} for {field}.")
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation:
        raise PosBadResponse(f"Heartland sent {value!r} for {field}, not a number.") from None
    if not found.is_finite():
        raise PosBadResponse(f"Heartland sent {value!r} for {field}, not a number.")
    return found


def rows(value: Any, name: str) -> list[dict[str, Any]]:
    """A list of records; null is an empty list."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PosBadResponse(f"Heartland sent a {type(value).__name__} where {name} belong.")
    return [obj(row, name) for row in value]
