"""Carrying bytes to a distributor: an HTTPS POST with a signature, or an email with a CSV.
HTTP and mail only, every call with a timeout; the adapter shapes what is carried."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.mail import EmailMessage

from integrations.base import DeliveryError

from . import transport

# Header names the receiver reads (documented in docs/distributor-reports.md).
SIGNATURE_HEADER = "X-Astro-Signature"
TIMESTAMP_HEADER = "X-Astro-Timestamp"
KEY_HEADER = "Idempotency-Key"
# Retrying can help with these; any other 4xx means the receiver understood and refused.
TRANSIENT_STATUSES = {408, 425, 429}
# Every call has a timeout (DESIGN.md): 3 s to connect, 10 s for the answer. The process's
# sending threads share a pool of kept-alive connections (transport.py): a worker draining a
# backlog reuses them.


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>." + body, so a captured request cannot be replayed later."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def post_signed(endpoint: str, secret: str, key: str, body: bytes) -> None:
    """POST the JSON body; raise DeliveryError (permanent or not) unless the answer is 2xx."""
    if not endpoint:
        raise DeliveryError("The distributor has no endpoint URL.", permanent=True)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        KEY_HEADER: key,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
    try:
        status, text = transport.post(endpoint, body, headers)
    except transport.TransportErrors as exc:  # refused, reset, DNS, TLS, timeouts
        raise DeliveryError(f"Could not reach the distributor: {exc}", permanent=False) from exc
    if 200 <= status < 300:
        return
    answer = f"HTTP {status}: {text}"
    permanent = 400 <= status < 500 and status not in TRANSIENT_STATUSES
    raise DeliveryError(answer, permanent=permanent)


def email_csv(*, address: str, key: str, subject: str, csv_text: str) -> None:
    """Email the CSV as an attachment; a mail server error is worth another try later."""
    if not address:
        raise DeliveryError("The distributor has no email address.", permanent=True)
    message = EmailMessage(
        subject=subject,
        body="The redemption report is attached as CSV.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"X-Astro-Report-Id": key},
    )
    message.attach(f"astro-report-{key}.csv", csv_text, "text/csv")
    try:
        message.send()
    except OSError as exc:  # smtplib errors are OSErrors
        raise DeliveryError(f"Could not email the distributor: {exc}", permanent=False) from exc
