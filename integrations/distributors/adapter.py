"""A report payload (loyalty/services/distributor_reports/payloads.py) in the shapes a
distributor receives: the signed JSON body, or one CSV row for email."""

from __future__ import annotations

import io
import json
from typing import Any

from loyalty.presentation import spreadsheet


def json_body(payload: dict[str, Any]) -> bytes:
    """Canonical JSON (sorted keys, no spaces), so the signature covers exactly these bytes."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def csv_attachment(payload: dict[str, Any]) -> str:
    """A header row and one data row: one column per field, nested fields joined by "_"."""
    flat = flatten(payload)
    buffer = io.StringIO()
    writer = spreadsheet.writer(buffer)
    writer.writerow(flat.keys())
    writer.writerow(flat.values())
    return buffer.getvalue()


def flatten(payload: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"item": {"upc": ...}} → {"item_upc": ...}: one CSV column per field."""
    flat: dict[str, Any] = {}
    for name, value in payload.items():
        if isinstance(value, dict):
            flat |= flatten(value, f"{prefix}{name}_")
        else:
            flat[f"{prefix}{name}"] = value
    return flat
