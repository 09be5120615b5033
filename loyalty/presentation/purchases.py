"""Expand Details: a card's purchases as a person reads them, one row per sale line."""

from collections.abc import Iterable
from dataclasses import dataclass

from loyalty.models import Purchase


@dataclass
class PurchaseRow:
    purchase: Purchase  # the first punch of the group: its date, item, location and sale
    quantity: int


def _key(purchase: Purchase) -> tuple:
    # Punches of one sale line (a quantity of 10 is ten rows, DESIGN.md) read as one line with
    # its quantity, as long as nothing tells them apart on screen.
    return (
        purchase.visit_line_id,
        purchase.item_id,
        purchase.state,
        purchase.multi_purchase_reason,
        purchase.exception_reason,
        purchase.location_id,
        purchase.purchased_at.replace(second=0, microsecond=0) if purchase.purchased_at else None,
    )


def group_purchases(purchases: Iterable[Purchase]) -> list[PurchaseRow]:
    """Neighbouring punches with the same line, item, state and reasons become one row."""
    rows: list[PurchaseRow] = []
    last = None
    for purchase in purchases:
        key = _key(purchase)
        if rows and key == last:
            rows[-1].quantity += 1
        else:
            rows.append(PurchaseRow(purchase, 1))
        last = key
    return rows
