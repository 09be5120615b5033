"""Heartland Retail as a PosSaleSource: ticket, line, item and customer JSON mapped to the DTOs of
integrations.base, fetched through the client ("notes §x" is docs/heartland.md)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from integrations.base import PosBadResponse, PosCustomer, PosLine, PosNotFound, PosSale
from loyalty.models import Retailer

from . import fields
from .connection import client_for

# Only item lines are merchandise; tax, shipping and other lines are not (notes §4).
ITEM_LINE = "ItemLine"
# Ticket statuses (notes §4). Anything else ("pending", "incomplete", a v2 "draft"...) is a
# ticket still being rung up.
COMPLETE_STATUSES = frozenset({"complete", "completed", "closed"})
VOID_STATUSES = frozenset({"void", "voided", "cancelled", "canceled"})
# Barcodes first, then the item number (public_id): the order the catalog tries them in. Stores
# keep a UPC in a custom field named like one of these (notes §4).
BARCODE_KEYS = ("upc", "ean", "gtin", "barcode")
ZERO = Decimal("0")
CENTS = Decimal("0.01")


def sale_from_json(
    ticket: dict[str, Any], lines: Iterable[dict[str, Any]], *, account: str = ""
) -> PosSale:
    """The PosSale of GET sales/tickets/{id}?_include[]=customer and its lines (with items)."""
    ticket = fields.obj(ticket, "ticket")
    raw_lines = [fields.obj(line, "ticket line") for line in lines]
    items = [line for line in raw_lines if _is_item_line(line)]
    pos_lines = tuple(line for line in map(_line_from_json, items) if line is not None)
    subtotal, discount = _subtotal_and_discount(items)
    status = fields.text(ticket, "status").lower()
    return PosSale(
        sale_id=fields.required_id(ticket, "id"),
        account_id=account,
        # Tickets belong to a store by source_location_id (notes §4).
        shop_id=fields.optional_id(ticket, "source_location_id") or "",
        customer=_ticket_customer(ticket),
        lines=pos_lines,
        # Before discounts and tax: what points are based on (seed 002, SPEC §2).
        subtotal=subtotal,
        total=fields.number(ticket, "total", default=subtotal - discount + _tax(raw_lines)),
        discount=discount,
        completed=status in COMPLETE_STATUSES,
        is_voided=status in VOID_STATUSES,
        is_refund=any(line.quantity < 0 for line in pos_lines),
        display_number=fields.text(ticket, "public_id"),
    )


def customer_from_json(
    customer: dict[str, Any], addresses: Iterable[dict[str, Any]] = ()
) -> PosCustomer:
    """A PosCustomer; phone numbers live on the customer's addresses (notes §5)."""
    customer = fields.obj(customer, "customer")
    addresses = [fields.obj(row, "customer address") for row in addresses]
    address = addresses[0] if addresses else {}
    phone = fields.text(customer, "phone") or next(
        (fields.text(row, "phone") for row in addresses if fields.text(row, "phone")), ""
    )
    return PosCustomer(
        pos_customer_id=fields.required_id(customer, "id"),
        first_name=fields.text(customer, "first_name"),
        last_name=fields.text(customer, "last_name"),
        email=fields.text(customer, "email"),
        phone=phone,
        address1=fields.text(address, "address_1"),
        address2=fields.text(address, "address_2"),
        city=fields.text(address, "city"),
        state=fields.text(address, "state"),
        postal_code=fields.text(address, "zip"),
        country=fields.text(address, "country"),
    )


# --- The PosSaleSource ------------------------------------------------------------------
class HeartlandSaleSource:
    """The retailer's Heartland Retail account (settings.POS_SALE_SOURCES["heartland"])."""

    def __init__(self, *, retailer: Retailer) -> None:
        # Raises PosNotConnected (an IntegrationError) when no admin connected the store yet.
        self._client, self._account = client_for(retailer)

    def fetch_sale(self, sale_id: str) -> PosSale:
        ticket = self._client.get_ticket(sale_id)
        lines = self._client.ticket_lines(sale_id)
        return sale_from_json(ticket, lines, account=self._account)

    def fetch_customer(self, customer_id: str) -> PosCustomer | None:
        try:
            customer = self._client.get_customer(customer_id)
            addresses = self._client.customer_addresses(customer_id)
        except PosNotFound:
            return None
        return customer_from_json(customer, addresses)

    def close(self) -> None:
        self._client.close()


# --- Ticket parts ---------------------------------------------------------------------------
def _is_item_line(line: dict[str, Any]) -> bool:
    kind = fields.text(line, "type")
    return not kind or kind == ITEM_LINE


def _line_from_json(line: dict[str, Any]) -> PosLine | None:
    """An item line as a PosLine; None for a line of nothing (qty 0)."""
    quantity = fields.number(line, "qty")
    if quantity == 0:
        return None
    unit_price = _unit_price(line)
    item = _item(line)
    description = fields.text(line, "description") or fields.text(item, "description")
    codes = _codes(item)
    if quantity != quantity.to_integral_value():
        # Sold by weight (1.5 lb of bulk treats): cards count units (SPEC §3), so the line shows
        # as an Unknown Item the cashier may add by hand, for its whole amount: the POS's own
        # extended `value` when it sends one (what the customer pays), else qty × price.
        amount = (abs(quantity) * unit_price).quantize(CENTS, ROUND_HALF_UP)
        return PosLine(
            line_id=fields.required_id(line, "id"),
            codes=(),
            description=f"{description} ({abs(quantity).normalize()} by weight)".strip(),
            quantity=1 if quantity > 0 else -1,
            unit_price=abs(fields.number(line, "value", default=amount)),
            is_misc=True,
        )
    return PosLine(
        line_id=fields.required_id(line, "id"),
        codes=codes,
        description=description,
        # A return is a line of negative qty with a positive price (notes §4).
        quantity=int(quantity),
        unit_price=unit_price,
        is_misc=not codes,
    )


def _item(line: dict[str, Any]) -> dict[str, Any]:
    """The embedded item ({} for a line without one, or whose item was deleted)."""
    if fields.optional_id(line, "item_id") is None:
        return {}
    item = line.get("item")
    return fields.obj(item, "ticket line item") if item is not None else {}


def _codes(item: dict[str, Any]) -> tuple[str, ...]:
    custom = item.get("custom")
    custom = fields.obj(custom, "item's custom fields") if custom is not None else {}
    lowered = {str(key).lower(): value for key, value in custom.items()}
    barcodes = [fields.text(item, key) or fields.text(lowered, key) for key in BARCODE_KEYS]
    codes = [*barcodes, fields.text(item, "public_id")]
    return tuple(dict.fromkeys(code for code in codes if code))


def _unit_price(line: dict[str, Any]) -> Decimal:
    """What one unit sold for; a line without it falls back to its price before markdowns."""
    if line.get("unit_price") not in (None, ""):
        return fields.number(line, "unit_price")
    return fields.number(line, "original_unit_price")


def _subtotal_and_discount(items: list[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    """Σ qty × price before markdowns, and what the markdowns took off (notes §4)."""
    subtotal = discount = ZERO
    for line in items:
        quantity = fields.number(line, "qty")
        price = _unit_price(line)
        original = fields.number(line, "original_unit_price", default=price)
        subtotal += quantity * original
        discount += quantity * (original - price)
    return subtotal, discount


def _tax(lines: list[dict[str, Any]]) -> Decimal:
    taxes = (line for line in lines if fields.text(line, "type") == "TaxLine")
    return sum((fields.number(line, "value", default=ZERO) for line in taxes), ZERO)


def _ticket_customer(ticket: dict[str, Any]) -> PosCustomer | None:
    """The ticket's customer; None when customer_id is null (SPEC §4.2)."""
    customer_id = fields.optional_id(ticket, "customer_id")
    if customer_id is None:
        return None
    embedded = ticket.get("customer")
    if embedded is None:
        # Not embedded: the id alone still finds an existing link (SPEC §4.3).
        return PosCustomer(pos_customer_id=customer_id)
    customer = customer_from_json(embedded)
    if customer.pos_customer_id != customer_id:
        raise PosBadResponse(
            f"Heartland sent customer {customer.pos_customer_id} for a ticket whose "
            f"customer_id is {customer_id}."
        )
    return customer
