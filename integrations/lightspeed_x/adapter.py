"""Lightspeed X-Series as a PosSaleSource: the API's sale, product and customer JSON mapped to
the DTOs of integrations.base, fetched through the client.

Shapes: the date-versioned Sales, Products and Customers APIs (x-series-api.lightspeedhq.com,
reference GetSaleByID, GetProductByID, GetCustomerByID, docs/sales_returns). A sale carries
`state` (parked, pending, closed, voided) or, in older answers, only the legacy `status`
(docs/sales_states_and_attributes); amounts are JSON numbers; names may be null.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from integrations.base import PosBadResponse, PosCustomer, PosLine, PosNotFound, PosSale
from loyalty.models import Retailer

from .connection import client_for
from .shapes import (
    decimal,
    legacy_state,
    object_or_empty,
    optional_id,
    required_id,
    required_object,
    text,
)

# Barcode-like product codes first, then the SKU (what X-Series scans by default), then the
# store's own custom codes and the supplier code (GetProductByID: product_codes, sku).
BARCODE_TYPES = ("upc", "ean", "gtin", "isbn", "itf", "jan")
# Sale attributes whose goods stay in the store while the sale is pending
# (docs/sales_states_and_attributes): those lines wait until the sale is closed.
NOT_HANDED_OVER = {"layby", "delivery", "pickup"}


@dataclass(frozen=True)
class _Line:
    line: PosLine
    unit_discount: Decimal


def sale_from_json(
    sale: dict[str, Any],
    *,
    products: Mapping[str, dict[str, Any] | None],
    customer: PosCustomer | None,
    account_id: str = "",
) -> PosSale:
    """The PosSale of one sale object (the `data` of GET /sales/{id}). `products` holds each
    line's product by id (None for a deleted one); `customer` is the sale's customer."""
    sale = required_object(sale, "sale")
    state = text(sale, "state").lower() or legacy_state(text(sale, "status"))
    attributes = {a.lower() for a in sale.get("attributes") or [] if isinstance(a, str)}
    deferred = state != "closed" and bool(attributes & NOT_HANDED_OVER)
    items = sale.get("line_items") or []
    if not isinstance(items, list):
        raise PosBadResponse("Lightspeed X-Series sent line_items that are not a list.")
    parsed = [_line(item, products, deferred=deferred) for item in items]
    goods = [p for p in parsed if not p.line.is_fee]
    source = object_or_empty(sale.get("source"), "source")
    author = object_or_empty(source.get("author"), "source.author")
    return PosSale(
        sale_id=required_id(sale, "id"),
        customer=customer,
        lines=tuple(p.line for p in parsed),
        # Points are based on the subtotal before tax and discounts (seed 002): each line's
        # tax-exclusive price plus its unit discount, times its quantity.
        subtotal=sum(
            ((p.line.unit_price + p.unit_discount) * p.line.quantity for p in goods), Decimal(0)
        ),
        total=_total(sale),
        completed=state == "closed",
        is_refund=any(p.line.quantity < 0 for p in parsed),
        account_id=account_id,
        shop_id=text(source, "outlet_id") or text(sale, "outlet_id"),
        employee_id=text(author, "id") or text(sale, "user_id"),
        discount=sum((p.unit_discount * abs(p.line.quantity) for p in goods), Decimal(0)),
        is_voided=state == "voided" or bool(sale.get("deleted_at")),
        display_number=text(sale, "invoice_number") or text(sale, "receipt_number"),
    )


def customer_from_json(customer: dict[str, Any]) -> PosCustomer:
    """A PosCustomer from a customer object (GetCustomerByID's data)."""
    customer = required_object(customer, "customer")
    address = "physical" if text(customer, "physical_address_1") else "postal"
    return PosCustomer(
        pos_customer_id=required_id(customer, "id"),
        first_name=text(customer, "first_name"),
        last_name=text(customer, "last_name"),
        email=text(customer, "email"),
        # SPEC §4.3 prefills the owner's mobile: mobile first, else the other phone.
        phone=text(customer, "mobile") or text(customer, "phone"),
        address1=text(customer, f"{address}_address_1"),
        address2=text(customer, f"{address}_address_2"),
        city=text(customer, f"{address}_city"),
        state=text(customer, f"{address}_state"),
        postal_code=text(customer, f"{address}_postcode"),
        country=text(customer, f"{address}_country_id"),
    )


def product_codes(product: dict[str, Any]) -> tuple[str, ...]:
    """The product's codes for the catalog, best first, blanks and repeats dropped."""
    codes = object_or_empty(product, "product").get("product_codes") or []
    if not isinstance(codes, list):
        raise PosBadResponse("Lightspeed X-Series sent product_codes that are not a list.")
    entries = [required_object(entry, "product code") for entry in codes]
    barcodes = [text(e, "code") for e in entries if text(e, "type").lower() in BARCODE_TYPES]
    others = [text(e, "code") for e in entries if text(e, "type").lower() not in BARCODE_TYPES]
    ordered = [*barcodes, text(product, "sku"), *others, text(product, "supplier_code")]
    return tuple(dict.fromkeys(code for code in ordered if code))


# --- The PosSaleSource ------------------------------------------------------------------
class XSeriesSaleSource:
    """The retailer's X-Series store (settings.POS_SALE_SOURCES["lightspeed_x"])."""

    def __init__(self, *, retailer: Retailer) -> None:
        # Raises PosNotConnected (an IntegrationError) when no admin connected the store yet.
        self._client, self._prefix = client_for(retailer)

    def fetch_sale(self, sale_id: str) -> PosSale:
        """The sale, each distinct product once, then the customer: 2 + products requests."""
        sale = self._client.get_sale(sale_id)
        ids = {pid for item in sale.get("line_items") or [] if (pid := _product_id(item))}
        products = {pid: self._product(pid) for pid in sorted(ids)}
        customer_id = optional_id(sale, "customer_id")
        customer = None
        if customer_id:
            # A customer deleted in Lightspeed still finds an existing link by its id.
            customer = self.fetch_customer(customer_id) or PosCustomer(pos_customer_id=customer_id)
        return sale_from_json(sale, products=products, customer=customer, account_id=self._prefix)

    def fetch_customer(self, customer_id: str) -> PosCustomer | None:
        try:
            return customer_from_json(self._client.get_customer(customer_id))
        except PosNotFound:
            return None

    def close(self) -> None:
        self._client.close()

    def _product(self, product_id: str) -> dict[str, Any] | None:
        try:
            return self._client.get_product(product_id)
        except PosNotFound:  # deleted since the sale: the line shows as an Unknown Item
            return None


# --- Sale parts -----------------------------------------------------------------------------
def _product_id(item: Any) -> str | None:
    item = required_object(item, "line item")
    product = object_or_empty(item.get("product"), "line item product")
    # Date-versioned lines nest product.id; API 2.0 lines carry product_id.
    return optional_id(product, "id") or optional_id(item, "product_id")


def _line(item: Any, products: Mapping[str, Any], *, deferred: bool) -> _Line:
    item = required_object(item, "line item")
    product_id = _product_id(item)
    product = products.get(product_id) if product_id else None
    # Date-versioned lines nest pricing; API 2.0 lines carry price and discount at the top.
    pricing = object_or_empty(item.get("pricing"), "line item pricing") or item
    quantity = decimal(item, "quantity")
    returned = object_or_empty(item.get("return"), "line item return").get("is_return") is True
    if returned and quantity > 0:  # a return line is negative (docs/sales_returns)
        quantity = -quantity
    whole = quantity == quantity.to_integral_value()
    name = (text(product, "variant_name") or text(product, "name")) if product else ""
    line = PosLine(
        line_id=required_id(item, "id"),
        codes=product_codes(product) if product else (),
        description=name or text(item, "note") or "Item not in Lightspeed's catalog",
        # Goods sold by weight (1.5) are not units a card can count: shown as Unknown Item.
        quantity=int(quantity) if whole else (1 if quantity > 0 else -1),
        unit_price=decimal(pricing, "price"),
        is_misc=product is None or not whole,
        # A gift card sold is money on a card, never merchandise.
        is_fee=bool(text(item, "gift_card_number")),
        is_deferred=deferred,
    )
    return _Line(line, decimal(pricing, "discount", default="0"))


def _total(sale: dict[str, Any]) -> Decimal:
    """What the customer pays, with tax: totals.price_incl_tax, or API 2.0's price + tax."""
    totals = object_or_empty(sale.get("totals"), "totals")
    if totals:
        return decimal(totals, "price_incl_tax")
    return decimal(sale, "total_price") + decimal(sale, "total_tax", default="0")
