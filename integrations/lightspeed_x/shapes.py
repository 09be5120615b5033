"""Reading X-Series JSON values: objects that may be null, ids, text that may be null, amounts
that come as JSON numbers (the REST API) or as strings (the Payments API's register_sale)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from integrations.base import PosBadResponse

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# Legacy `status` to `state` (docs/sales_states_and_attributes): every *_CLOSED status is closed,
# SAVED is parked, VOIDED voided, the rest (OPEN, ONACCOUNT, LAYBY, AWAITING_*, SERVICE) pending.
LEGACY_STATES = {"SAVED": "parked", "VOIDED": "voided", "CLOSED": "closed"}


def legacy_state(status: str) -> str:
    status = status.upper()
    if status.endswith("_CLOSED"):
        return "closed"
    return LEGACY_STATES.get(status, "pending")


def required_object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        sent = "nothing" if value is None else f"a {type(value).__name__}"
        raise PosBadResponse(f"Lightspeed X-Series sent {sent} where a {name} object belongs.")
    return value


def object_or_empty(value: Any, name: str) -> dict[str, Any]:
    """A nested object that may be null or missing ({} then)."""
    return {} if value is None else required_object(value, name)


def text(obj: dict[str, Any], field: str) -> str:
    """A text field; null and missing are "" (X-Series sends first_name: null)."""
    value = obj.get(field)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PosBadResponse(f"Lightspeed X-Series sent a {type(value).__name__} for {field}.")
    return str(value).strip()


def optional_id(obj: dict[str, Any], field: str) -> str | None:
    value = text(obj, field)
    if not value:
        return None
    if not UUID.match(value):
        raise PosBadResponse(f"Lightspeed X-Series sent {value!r} for {field}, not an id.")
    return value.lower()


def required_id(obj: dict[str, Any], field: str) -> str:
    value = optional_id(obj, field)
    if value is None:
        raise PosBadResponse(f"Lightspeed X-Series sent no {field}.")
    return value


def decimal(obj: dict[str, Any], field: str, default: str | None = None) -> Decimal:
    """An amount as Decimal: a JSON number (2.63158), a string ("3.16957") or null/missing
    (the default). Floats go through their shortest text form, so 0.1 stays 0.1."""
    value = obj.get(field)
    if value is None or value == "":
        if default is None:
            raise PosBadResponse(f"Lightspeed X-Series sent no {field}.")
        value = default
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PosBadResponse(f"Lightspeed X-Series sent a {type(value).__name__} for {field}.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise PosBadResponse(
            f"Lightspeed X-Series sent {value!r} for {field}, not a number."
        ) from None
    if not number.is_finite():
        raise PosBadResponse(f"Lightspeed X-Series sent {value!r} for {field}, not a number.")
    return number
