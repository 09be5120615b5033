"""In-memory twins of the adapters, for fast tests (like Django's locmem email backend).

    settings.POS_SALE_SOURCES = {"lightspeed": "integrations.memory.InMemorySaleSource"}
    memory.sales["1042"] = PosSale(...)          # what the POS "has"
    settings.DISTRIBUTOR_DELIVERY = "integrations.memory.deliver"
    memory.deliveries                             # what was "sent", in order

A test clears them with `memory.reset()`.
"""

from __future__ import annotations

from typing import Any

from integrations.base import DeliveryError, PosCustomer, PosNotFound, PosSale
from loyalty.models import Retailer

# The POS's sales and customers by id, shared by every retailer (a test uses one store).
sales: dict[str, PosSale] = {}
customers: dict[str, PosCustomer] = {}
# Each delivered report: {"method", "endpoint", "email", "key", "payload"}.
deliveries: list[dict[str, Any]] = []
# Set to a DeliveryError to make the next deliveries fail with it.
delivery_failure: DeliveryError | None = None


def reset() -> None:
    global delivery_failure
    sales.clear()
    customers.clear()
    deliveries.clear()
    delivery_failure = None


class InMemorySaleSource:
    """A PosSaleSource over the `sales` and `customers` dicts above."""

    def __init__(self, *, retailer: Retailer) -> None:
        self.retailer = retailer
        self.closed = False

    def fetch_sale(self, sale_id: str) -> PosSale:
        if sale_id not in sales:
            raise PosNotFound()
        return sales[sale_id]

    def fetch_customer(self, customer_id: str) -> PosCustomer | None:
        return customers.get(customer_id)

    def close(self) -> None:
        self.closed = True


def deliver(
    *, method: str, endpoint: str, email: str, secret: str, key: str, payload: dict[str, Any]
) -> None:
    """A ReportDelivery that keeps what it was given (never the secret)."""
    if delivery_failure is not None:
        raise delivery_failure
    deliveries.append(
        {"method": method, "endpoint": endpoint, "email": email, "key": key, "payload": payload}
    )
