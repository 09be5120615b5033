"""The ReportDelivery the domain calls (settings.DISTRIBUTOR_DELIVERY): one report, one way."""

from __future__ import annotations

from typing import Any

from integrations.base import DeliveryError

from . import adapter, client


def deliver(
    *, method: str, endpoint: str, email: str, secret: str, key: str, payload: dict[str, Any]
) -> None:
    """Send one report by the distributor's method; raise DeliveryError when it did not arrive."""
    if method == "https":
        client.post_signed(endpoint, secret, key, adapter.json_body(payload))
    elif method == "email":
        subject = f"Astro redemption report {payload.get('reward_id', '')} ({key})"
        client.email_csv(
            address=email, key=key, subject=subject, csv_text=adapter.csv_attachment(payload)
        )
    else:
        raise DeliveryError("This distributor has no delivery method yet.", permanent=False)
