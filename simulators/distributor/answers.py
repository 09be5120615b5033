"""The receiver sandbox answers a claim it received (credited, or declined with a reason) the
way a distributor would: a signed POST to Astro's credit-status callback."""

import json
import time
import uuid

import httpx
from django.conf import settings

from .models import Delivery
from .signing import sign

TIMEOUT = httpx.Timeout(10.0, connect=3.0)
REASONS = [
    ("insufficient_purchase_quantity", "Insufficient Purchase Quantity"),
    ("ineligible_program", "Ineligible Program"),
    ("multiple_brands_on_the_card", "Multiple Brands on the Card"),
    ("item_not_in_program", "Item Not In Program"),
    ("ineligible_free_good_size", "Ineligible Free Good Size"),
    ("other", "Other"),
]


def find_delivery(key: str) -> Delivery | None:
    """A received claim by its Idempotency-Key, or the latest one of a report id."""
    by_key = Delivery.objects.filter(idempotency_key=key).first()
    return by_key or Delivery.objects.filter(report_id=key).order_by("-received_at").first()


def answer_body(
    delivery: Delivery, *, status: str, reason: str = "", note: str = "", amount: str = "",
    event_id: str = "",
) -> bytes:  # fmt: skip
    """The callback's JSON about this delivery's revision of its claim."""
    body = {
        "event_id": event_id or f"sandbox-{uuid.uuid4()}",
        "report_id": delivery.report_id,
        "revision": int(delivery.body.get("revision", 0)),
        "status": status,
    }
    if reason:
        body["reason"] = reason
    if note:
        body["note"] = note
    if amount:
        body["amount"] = amount
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def send_answer(delivery: Delivery, *, url: str, body: bytes) -> dict:
    """POST the signed answer to `url`; returns what was sent and Astro's reply, also kept on
    the delivery. No database transaction is open across the call (Astro may write the same
    SQLite file meanwhile)."""
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Astro-Timestamp": timestamp,
        "X-Astro-Signature": sign(settings.DISTRIBUTOR_SANDBOX_SECRET, timestamp, body),
    }
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=TIMEOUT)
        status, text = response.status_code, response.text[:2000]
    except httpx.TransportError as exc:
        status, text = 0, f"Could not reach Astro: {exc}"
    try:
        reply = json.loads(text)
    except ValueError:
        reply = {"text": text}
    outcome = {"sent": json.loads(body), "astro_status": status, "astro_reply": reply}
    answers = list(delivery.answers) + [outcome]
    Delivery.objects.filter(pk=delivery.pk).update(answers=answers[-20:])
    return outcome
