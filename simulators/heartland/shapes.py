"""Sandbox rows rendered as Heartland Retail JSON ("notes §x" is docs/heartland.md).

The quirks kept on purpose: ids and money are JSON numbers (not strings); an absent customer is
null; a ticket's customer and a line's item appear only when asked for with _include[]; a
customer's phone is on its address, not on the customer; collections are paginated as
{"total", "pages", "per_page", "results"}; a tax line sits among the item lines.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from .models import (
    SandboxCustomer,
    SandboxItem,
    SandboxLocation,
    SandboxTicket,
    SandboxTicketLine,
)

# A flat sales tax is enough for a sandbox.
TAX_RATE = Decimal("0.08")
CENTS = Decimal("0.01")
# Tax lines are computed, not stored; their ids stay clear of the stored lines' ids.
TAX_LINE_ID_BASE = 900_000_000
# Heartland's page size when none is asked for, and the most one page holds (notes §3).
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def plain(value: Any) -> Any:
    """Decimal as a JSON number (an int when whole), recursively; JSON has no Decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def iso(moment: datetime | None) -> str | None:
    # ISO 8601 in the store's local time with its offset (notes §4).
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def page(rows: list[dict[str, Any]], number: int, per_page: int) -> dict[str, Any]:
    """One page of a collection; a page past the end has no results (notes §3)."""
    pages = math.ceil(len(rows) / per_page) if rows else 0
    start = (number - 1) * per_page
    return {
        "total": len(rows),
        "pages": pages,
        "per_page": per_page,
        "results": rows[start : start + per_page],
    }


def location_json(location: SandboxLocation) -> dict[str, Any]:
    return {"id": location.pk, "public_id": location.public_id, "name": location.name}


def item_json(item: SandboxItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "public_id": item.public_id,
        "description": item.description,
        "price": item.price,
        "active": True,
        # A store's UPC lives in a custom field of its own naming (notes §4).
        "custom": {"upc": item.upc} if item.upc else {},
    }


def customer_json(customer: SandboxCustomer) -> dict[str, Any]:
    return {
        "id": customer.pk,
        "public_id": str(customer.pk),
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "email": customer.email or None,
        "active": True,
        "custom": {},
    }


def address_json(customer: SandboxCustomer) -> dict[str, Any]:
    return {
        "id": customer.pk,
        "customer_id": customer.pk,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "address_1": customer.address_1 or None,
        "address_2": None,
        "city": customer.city or None,
        "state": customer.state or None,
        "zip": customer.zip or None,
        "country": "US",
        "phone": customer.phone or None,
    }


def has_address(customer: SandboxCustomer) -> bool:
    return bool(customer.phone or customer.address_1 or customer.city)


def line_json(line: SandboxTicketLine, *, with_item: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": line.pk,
        "ticket_id": line.ticket_id,
        "type": "ItemLine",
        "item_id": line.item_id,
        "description": line.description or (line.item.description if line.item else ""),
        "qty": line.qty,
        "unit_price": line.unit_price,
        "original_unit_price": line.original_unit_price,
        "value": (line.qty * line.unit_price).quantize(CENTS, ROUND_HALF_UP),
    }
    if with_item:
        data["item"] = item_json(line.item) if line.item else None
    return data


def tax_line_json(ticket: SandboxTicket, tax: Decimal) -> dict[str, Any]:
    return {
        "id": TAX_LINE_ID_BASE + ticket.pk,
        "ticket_id": ticket.pk,
        "type": "TaxLine",
        "description": "Sales Tax",
        "value": tax,
    }


def amounts(lines: list[SandboxTicketLine]) -> tuple[Decimal, Decimal]:
    """(subtotal after markdowns, tax) of the saved lines."""
    values = (line.qty * line.unit_price for line in lines)
    subtotal = sum(values, Decimal("0")).quantize(CENTS, ROUND_HALF_UP)
    return subtotal, (subtotal * TAX_RATE).quantize(CENTS, ROUND_HALF_UP)


def ticket_lines_json(ticket: SandboxTicket, *, with_item: bool) -> list[dict[str, Any]]:
    lines = saved_lines(ticket)
    rows = [line_json(line, with_item=with_item) for line in lines]
    _subtotal, tax = amounts(lines)
    if tax:
        rows.append(tax_line_json(ticket, tax))
    return rows


def saved_lines(ticket: SandboxTicket) -> list[SandboxTicketLine]:
    return list(ticket.lines.filter(saved=True).select_related("item"))


def ticket_json(ticket: SandboxTicket, *, with_customer: bool) -> dict[str, Any]:
    subtotal, tax = amounts(saved_lines(ticket))
    total = subtotal + tax
    paid = total if ticket.status == "complete" else Decimal("0")
    data: dict[str, Any] = {
        "id": ticket.pk,
        "public_id": ticket.number,
        "type": "Ticket",
        "status": ticket.status,
        "customer_id": ticket.customer_id,
        "source_location_id": ticket.location_id,
        "station_id": ticket.station_id,
        "sales_rep": None,
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "completed_at": iso(ticket.completed_at),
        "subtotal": subtotal,
        "tax_total": tax,
        "total": total,
        "total_paid": paid,
        "balance": total - paid,
        "custom": {},
    }
    if with_customer:
        data["customer"] = customer_json(ticket.customer) if ticket.customer else None
    return data
