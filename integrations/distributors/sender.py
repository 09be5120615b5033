"""Delivering one report to a distributor: HTTPS POST of signed JSON, or email with a CSV.

The domain builds the report (loyalty/services/reports.py) and calls `deliver` through the
DISTRIBUTOR_SENDER setting; this module only knows how to carry it.
"""

import csv
import hashlib
import hmac
import io
import json
import time
from typing import Any

import httpx
from django.conf import settings
from django.core.mail import EmailMessage

from loyalty.errors import DeliveryError

# Every call has a timeout (DESIGN.md): 3 s to connect, 10 s for the answer.
TIMEOUT = httpx.Timeout(10.0, connect=3.0)
# Header names the receiver reads (documented in docs/distributor-reports.md).
SIGNATURE_HEADER = "X-Astro-Signature"
TIMESTAMP_HEADER = "X-Astro-Timestamp"
KEY_HEADER = "Idempotency-Key"
# Retrying cannot help with these: the receiver understood and refused (SPEC §6).
TRANSIENT_STATUSES = {408, 425, 429}
# One pooled client per process: a worker draining a backlog reuses its connections.
_http = httpx.Client(timeout=TIMEOUT)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>." + body, so a captured request cannot be replayed later."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def deliver(
    *, method: str, endpoint: str, email: str, secret: str, key: str, payload: dict[str, Any]
) -> None:
    """Send one report; raise DeliveryError (permanent or not) when it did not arrive."""
    if method == "https":
        _post_json(endpoint, secret, key, payload)
    elif method == "email":
        _email_csv(email, key, payload)
    else:
        raise DeliveryError("This distributor has no delivery method yet.", permanent=False)


def _post_json(endpoint: str, secret: str, key: str, payload: dict[str, Any]) -> None:
    if not endpoint:
        raise DeliveryError("The distributor has no endpoint URL.", permanent=True)
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        KEY_HEADER: key,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
    try:
        response = _http.post(endpoint, content=body, headers=headers)
    except httpx.TransportError as exc:  # refused, reset, DNS, timeouts
        raise DeliveryError(f"Could not reach the distributor: {exc}", permanent=False) from exc
    status = response.status_code
    if 200 <= status < 300:
        return
    answer = f"HTTP {status}: {response.text[:500]}"
    permanent = 400 <= status < 500 and status not in TRANSIENT_STATUSES
    raise DeliveryError(answer, permanent=permanent)


def _email_csv(address: str, key: str, payload: dict[str, Any]) -> None:
    if not address:
        raise DeliveryError("The distributor has no email address.", permanent=True)
    flat = _flatten(payload)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(flat.keys())
    writer.writerow(flat.values())
    message = EmailMessage(
        subject=f"Astro redemption report {payload.get('reward_id', '')} ({key})",
        body="The redemption report is attached as CSV.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"X-Astro-Report-Id": key},
    )
    message.attach(f"astro-report-{key}.csv", buffer.getvalue(), "text/csv")
    try:
        message.send()
    except OSError as exc:  # smtplib errors are OSErrors: worth another try later
        raise DeliveryError(f"Could not email the distributor: {exc}", permanent=False) from exc


def _flatten(payload: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"item": {"upc": ...}} → {"item_upc": ...}: one CSV column per field."""
    flat: dict[str, Any] = {}
    for name, value in payload.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{name}_")
        else:
            flat[f"{prefix}{name}"] = value
    return flat
