"""What the domain needs of a distributor: one delivery of one report, and its error."""

from __future__ import annotations

from typing import Any, Protocol

from .pos import IntegrationError


class DeliveryError(IntegrationError):
    """Sending a report to a distributor failed; `permanent` says whether a retry can help."""

    default_message = "The distributor could not be reached."

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class ReportDelivery(Protocol):
    """Carries one report to a distributor (settings.DISTRIBUTOR_DELIVERY names the callable).

    `key` is the report's idempotency key: the receiver drops a repeat of it."""

    def __call__(
        self,
        *,
        method: str,
        endpoint: str,
        email: str,
        secret: str,
        key: str,
        payload: dict[str, Any],
    ) -> None: ...
