"""The Payments API's side of a sale: what the register told the payment page in the browser.

The register answers the page's {"step": "DATA"} with `register_sale` (x-series-api.lightspeedhq
.com docs/payments_api_reference: id, client_sale_id, register_id, customer_id, totals and
line_items with product_id, name, sku, quantity, unit_price, all as strings). A browser can
send anything, so Astro takes only the sale's id from it to fetch the sale from the API, and
keeps names and quantities to show the cashier while the API does not have the sale yet.
Nothing here is ever recorded.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from integrations.base import PosBadResponse

from .shapes import UUID

MAX_LINES = 100
MAX_TEXT = 120


@dataclass(frozen=True)
class RegisterSalePreview:
    sale_id: str
    customer_id: str
    register_id: str
    # (name, quantity) as the register shows them.
    lines: tuple[tuple[str, str], ...]
    total_to_pay: str

    def as_session(self) -> dict:
        return asdict(self)


def register_sale_preview(raw: str) -> RegisterSalePreview:
    """The preview of a register_sale posted by the payment page; PosBadResponse if it is not
    one (a form posted by hand, an old register)."""
    try:
        sale = json.loads(raw) if len(raw) < 200_000 else None
    except ValueError:
        sale = None
    if not isinstance(sale, dict) or not UUID.match(str(sale.get("id", ""))):
        raise PosBadResponse("The register did not send a sale Astro can read.")
    items = sale.get("line_items") if isinstance(sale.get("line_items"), list) else []
    lines = tuple(
        (_short(item.get("name")), _short(item.get("quantity")))
        for item in items[:MAX_LINES]
        if isinstance(item, dict)
    )
    totals = sale.get("totals") if isinstance(sale.get("totals"), dict) else {}
    return RegisterSalePreview(
        sale_id=str(sale["id"]).lower(),
        customer_id=_id(sale.get("customer_id")),
        register_id=_id(sale.get("register_id")),
        lines=lines,
        total_to_pay=_short(totals.get("total_to_pay")),
    )


def _short(value: object) -> str:
    return str(value)[:MAX_TEXT] if isinstance(value, str | int | float) else ""


def _id(value: object) -> str:
    return str(value).lower() if isinstance(value, str) and UUID.match(value) else ""
