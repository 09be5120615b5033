"""Sandbox rows rendered as R-Series V3 JSON, with every quirk the reference lists."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .models import SandboxCustomer, SandboxItem, SandboxSale, SandboxSaleLine

# "reference §x" is shared/reference/lightspeed.md.
# A flat sales tax is enough for a sandbox; R-Series reports it as calcTax1.
TAX_RATE = Decimal("0.08")
CENTS = Decimal("0.01")
# R-Series: an empty foreign key is "0", not null (reference §2.7.3).
EMPTY_ID = "0"
SALE_RELATIONS = frozenset({"SaleLines", "SaleLines.Item", "Customer", "Customer.Contact"})


def one_or_many(elements: list[dict[str, Any]]) -> Any:
    """R-Series: one element is an object, several a list, none "" (reference §2.7.1-2)."""
    if not elements:
        return ""
    return elements[0] if len(elements) == 1 else elements


def relation(element: str, elements: list[dict[str, Any]]) -> Any:
    """A relation wrapper such as {"SaleLine": ...}, or "" when it is empty."""
    value = one_or_many(elements)
    return {element: value} if value != "" else ""


def money(amount: Decimal) -> str:
    """At least two decimals, never rounded further: tax can carry many (reference §2.7.3)."""
    amount = Decimal(amount)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        amount = amount.quantize(CENTS)
    return str(amount)


def flag(value: bool) -> str:
    # R-Series: every scalar is a string, booleans too (reference §2.7.3).
    return "true" if value else "false"


def iso(moment: datetime) -> str:
    # R-Series: ISO-8601 with +00:00 (reference §2.7.4).
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def item_json(item: SandboxItem) -> dict[str, Any]:
    return {
        "itemID": str(item.pk),
        "systemSku": f"2100{item.pk:08d}",
        "customSku": item.custom_sku,
        "manufacturerSku": "",
        "upc": item.upc,
        "ean": item.ean,
        "description": item.description,
        "manufacturerID": EMPTY_ID,
        "archived": "false",
        "Prices": relation(
            "ItemPrice", [{"amount": money(item.price), "useTypeID": "1", "useType": "Default"}]
        ),
    }


def customer_json(customer: SandboxCustomer, *, with_contact: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "customerID": str(customer.pk),
        "firstName": customer.first_name,
        "lastName": customer.last_name,
        "company": "",
        "archived": "false",
    }
    if with_contact:
        emails = [{"address": customer.email, "useType": "Primary"}] if customer.email else []
        phones = [{"number": customer.phone, "useType": "Mobile"}] if customer.phone else []
        data["Contact"] = {
            "Emails": relation("ContactEmail", emails),
            "Phones": relation("ContactPhone", phones),
            "Addresses": "",
            "noEmail": "false",
            "noPhone": "false",
            "noMail": "false",
        }
    return data


def line_json(line: SandboxSaleLine, *, with_item: bool) -> dict[str, Any]:
    subtotal = line.unit_price * line.unit_quantity
    tax = subtotal * TAX_RATE
    data: dict[str, Any] = {
        "saleLineID": str(line.pk),
        "saleID": str(line.sale_id),
        "itemID": str(line.item_id) if line.item_id else EMPTY_ID,
        "unitQuantity": str(line.unit_quantity),
        "unitPrice": money(line.unit_price),
        "normalUnitPrice": money(line.unit_price),
        "calcSubtotal": money(subtotal),
        "displayableSubtotal": money(subtotal),
        "calcLineDiscount": "0",
        "calcTax1": money(tax),
        "calcTax2": "0",
        "calcTotal": money(subtotal + tax),
        "parentSaleLineID": str(line.parent_line_id) if line.parent_line_id else EMPTY_ID,
        "isLayaway": "false",
        "isSpecialOrder": "false",
        "isWorkorder": "false",
    }
    if with_item and line.item is not None:
        data["Item"] = item_json(line.item)
    return data


def sale_json(sale: SandboxSale, relations: frozenset[str]) -> dict[str, Any]:
    """The Sale object; only the relations asked for in load_relations are present."""
    lines = list(sale.lines.select_related("item"))
    subtotal = sum((line.unit_price * line.unit_quantity for line in lines), Decimal("0"))
    tax = subtotal * TAX_RATE
    data: dict[str, Any] = {
        "saleID": str(sale.pk),
        "ticketNumber": f"2200{sale.pk:08d}",
        "completed": flag(sale.completed),
        "voided": flag(sale.voided),
        "archived": "false",
        "createTime": iso(sale.created_at),
        "updatetime": iso(sale.updated_at),
        "calcSubtotal": money(subtotal),
        "calcDiscount": "0",
        "calcTax1": money(tax),
        "calcTax2": "0",
        "calcTotal": money(subtotal + tax),
        "total": money(subtotal + tax),
        "calcPayments": money(subtotal + tax) if sale.completed else "0",
        "customerID": str(sale.customer_id) if sale.customer_id else EMPTY_ID,
        "employeeID": sale.employee_id,
        "registerID": sale.register_id,
        "shopID": sale.shop_id,
    }
    if "SaleLines" in relations:
        with_item = "SaleLines.Item" in relations
        rendered = [line_json(line, with_item=with_item) for line in lines]
        data["SaleLines"] = relation("SaleLine", rendered)
    if "Customer" in relations and sale.customer is not None:
        data["Customer"] = customer_json(
            sale.customer, with_contact="Customer.Contact" in relations
        )
    return data


def single(element: str, data: dict[str, Any]) -> dict[str, Any]:
    """A single-record response: {"@attributes": {"count": "1"}, "Sale": {...}}."""
    return {"@attributes": {"count": "1"}, element: data}


def listing(element: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A query response; with no rows the element is absent (count "0")."""
    body: dict[str, Any] = {"@attributes": {"count": str(len(rows)), "offset": "0", "limit": "100"}}
    if rows:
        body[element] = one_or_many(rows)
    return body
