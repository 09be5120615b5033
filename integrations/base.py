"""The contract every adapter here implements, defined by the domain in `loyalty.contracts`.

Re-exported so an adapter reads `from integrations.base import PosSale`; the domain itself never
imports this package (DESIGN.md: the domain imports nothing from integrations/)."""

from loyalty.contracts.distributors import DeliveryError, ReportDelivery
from loyalty.contracts.pos import (
    IntegrationError,
    PosAuthError,
    PosBadResponse,
    PosCustomer,
    PosLine,
    PosNotFound,
    PosRateLimited,
    PosSale,
    PosSaleSource,
    PosUnavailable,
    RedirectPos,
)

__all__ = [
    "DeliveryError",
    "IntegrationError",
    "PosAuthError",
    "PosBadResponse",
    "PosCustomer",
    "PosLine",
    "PosNotFound",
    "PosRateLimited",
    "PosSale",
    "PosSaleSource",
    "PosUnavailable",
    "RedirectPos",
    "ReportDelivery",
]
