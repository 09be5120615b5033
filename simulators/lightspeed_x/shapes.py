"""The sandbox's rows in X-Series' own shapes: the date-versioned REST objects (JSON numbers,
nulls for empty names, `{"data": ...}` wrappers) and the Payments API's register_sale (every
amount a string with five decimals), as the vendor's documentation shows them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import (
    TAX_RATE,
    SandboxCustomer,
    SandboxLine,
    SandboxOutlet,
    SandboxProduct,
    SandboxSale,
)

FIVE = Decimal("0.00001")
# One tax for the whole sandbox (taxes are not what Astro reads).
TAX_ID = "00000000-0002-0002-0002-000000000003"


def number(value: Decimal) -> float | int:
    """A JSON number as X-Series sends it: 12 rather than 12.0, 2.63158 rather than "2.63158"."""
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(moment) -> str:
    return moment.replace(microsecond=0).isoformat()


def sale_json(sale: SandboxSale) -> dict[str, Any]:
    """GetSaleByID's data (the date-versioned Sale schema)."""
    lines = list(sale.lines.all())
    price = sum((line.total for line in lines), Decimal(0))
    tax = sum((line.tax * line.quantity for line in lines), Decimal(0))
    return {
        "id": str(sale.sale_id),
        "customer_id": str(sale.customer.customer_id) if sale.customer else None,
        "date": _iso(sale.created_at),
        "created_at": _iso(sale.created_at),
        "updated_at": _iso(sale.updated_at),
        "deleted_at": None,
        "invoice_number": sale.invoice_number,
        "receipt_number": sale.invoice_number,
        "note": "",
        "short_code": str(sale.sale_id)[:6],
        "state": sale.state,
        "attributes": [],
        "source": {
            "outlet_id": str(sale.register.outlet.outlet_id),
            "register_id": str(sale.register.register_id),
            "author": {"id": "0adfd74a-153e-11e9-fa42-67b5781ba1fb"},
        },
        "totals": {
            "price": number(price),
            "tax": number(tax.quantize(FIVE)),
            "price_incl_tax": number((price + tax).quantize(FIVE)),
            "loyalty": 0,
            "surcharge": 0,
        },
        "line_items": [_line_json(line) for line in lines],
        "payments": [],
        "return": {
            "is_return": sale.return_for_id is not None,
            "original_sale_id": str(sale.return_for.sale_id) if sale.return_for else None,
            "return_sale_ids": [str(r.sale_id) for r in sale.returns.all()],
        },
        "_metadata": {"version": sale.version},
    }


def _line_json(line: SandboxLine) -> dict[str, Any]:
    return {
        "id": str(line.line_id),
        "product": {"id": str(line.product.product_id)},
        "quantity": number(line.quantity),
        "pricing": {
            "price": number(line.price),
            "discount": number(line.discount),
            "discount_total": number(line.discount * line.quantity),
            "cost": 0,
            "loyalty_amount": 0,
            "total": number(line.total),
        },
        "tax": {
            "id": TAX_ID,
            "amount": number(line.tax.quantize(FIVE)),
            "total": number((line.tax * line.quantity).quantize(FIVE)),
        },
        "return": {"is_return": line.quantity < 0, "reason": ""},
        "status": "CONFIRMED",
        "note": "",
        "gift_card_number": "",
        "_metadata": {"sequence": line.sequence},
    }


def _five(value: Decimal) -> str:
    return str(Decimal(value).quantize(FIVE))


def register_sale_json(sale: SandboxSale) -> dict[str, Any]:
    """The Payments API's DATA answer's register_sale (docs/payments_api_reference)."""
    lines = list(sale.lines.select_related("product"))
    price = sum((line.total for line in lines), Decimal(0))
    tax = sum((line.tax * line.quantity for line in lines), Decimal(0))
    return {
        "id": str(sale.sale_id),
        "client_id": "web_register",
        "client_sale_id": str(sale.sale_id),
        "register_id": str(sale.register.register_id),
        "customer_id": str(sale.customer.customer_id) if sale.customer else "",
        "note": "",
        "totals": {
            "total_tax": _five(tax),
            "total_price": _five(price),
            "total_paid": str(Decimal(sale.paid).quantize(Decimal("0.01"))),
            "total_to_pay": _five(price + tax - sale.paid),
        },
        "line_items": [
            {
                "product_id": str(line.product.product_id),
                "name": line.product.name,
                "quantity": str(line.quantity.normalize()),
                "sku": line.product.sku,
                "unit_price": _five(line.price),
                "unit_tax": _five(line.tax),
                "tax_id": TAX_ID,
                "tax_rate": _five(TAX_RATE),
                "image_url": "",
                "discount": _five(line.discount),
            }
            for line in lines
        ],
    }


def product_json(product: SandboxProduct) -> dict[str, Any]:
    """GetProductByID's data: the SKU, product codes, names (brand and the rest left out)."""
    codes = [{"type": "UPC", "code": product.upc}] if product.upc else []
    return {
        "id": str(product.product_id),
        "name": product.name,
        "variant_name": product.name,
        "handle": product.sku,
        "sku": product.sku,
        "product_codes": codes,
        "supplier_code": None,
        "price_excluding_tax": number(product.price),
        "price_including_tax": number((product.price * (1 + TAX_RATE)).quantize(FIVE)),
        "is_active": True,
        "active": True,
        "has_variants": False,
        "brand": {},
        "categories": [],
        "version": product.version,
    }


def customer_json(customer: SandboxCustomer) -> dict[str, Any]:
    """GetCustomerByID's data; an empty name is null, as in the docs' unnamed customer."""
    return {
        "id": str(customer.customer_id),
        "customer_code": f"{customer.first_name or 'UNNAMED'}-{str(customer.customer_id)[:4]}",
        "first_name": customer.first_name or None,
        "last_name": customer.last_name or None,
        "name": str(customer) if customer.first_name or customer.last_name else None,
        "email": customer.email or None,
        "mobile": customer.mobile or None,
        "phone": None,
        "do_not_email": False,
        "enable_loyalty": True,
        "loyalty_balance": 0,
        "balance": 0,
        "version": customer.version,
    }


def outlet_json(outlet: SandboxOutlet) -> dict[str, Any]:
    return {"id": str(outlet.outlet_id), "name": outlet.name, "version": outlet.version}


def webhook_payload(sale: SandboxSale) -> dict[str, Any]:
    """A sale.update webhook's payload: the sale as API 0.9/1.0 knew it (docs/webhooks)."""
    legacy = {"pending": "OPEN", "parked": "SAVED", "closed": "CLOSED", "voided": "VOIDED"}
    return {
        "id": str(sale.sale_id),
        "register_id": str(sale.register.register_id),
        "customer_id": str(sale.customer.customer_id) if sale.customer else None,
        "status": legacy[sale.state],
        "return_for": str(sale.return_for.sale_id) if sale.return_for else None,
        "invoice_number": sale.invoice_number,
    }
