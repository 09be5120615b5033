"""A distributor's signed credit-status callback (docs/distributor-reports.md): checking its
signature and timestamp, and reading its JSON body into the domain's CreditAnswer."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from loyalty.rules import credit_status
from loyalty.services.distributor_reports.credits import CreditAnswer

from .client import sign

# The same window as the receiver's: an old capture cannot be replayed later.
MAX_SKEW_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024


class CallbackError(Exception):
    """A callback we refuse: `status` is the HTTP answer, `message` says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def verify(*, secret: str, timestamp: str, signature: str, body: bytes, now=None) -> None:
    """Raise CallbackError(403) unless `signature` is ours over "<timestamp>." + body and the
    timestamp is within MAX_SKEW_SECONDS of now."""
    if not secret:
        raise CallbackError(403, "This distributor has no callback secret set up.")
    if not timestamp.isdigit():
        raise CallbackError(403, "X-Astro-Timestamp is missing or not Unix seconds.")
    if abs((now or time.time()) - int(timestamp)) > MAX_SKEW_SECONDS:
        raise CallbackError(403, "X-Astro-Timestamp is more than 5 minutes away: not replayed.")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        raise CallbackError(403, "The signature does not match the body.")


@dataclass(frozen=True)
class Callback:
    report_id: str
    answer: CreditAnswer
    body_sha256: str


def parse(body: bytes) -> Callback:
    """The body's fields, checked; CallbackError(400) names the first one that is wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise CallbackError(413, "The body is over 64 KB.")
    try:
        data = json.loads(body)
    except ValueError:
        raise CallbackError(400, "The body is not JSON.") from None
    if not isinstance(data, dict):
        raise CallbackError(400, "The body must be a JSON object.")
    event_id = _text(data, "event_id", 200)
    if not event_id:
        raise CallbackError(400, "event_id is required: repeats are recognised by it.")
    report_id = _text(data, "report_id", 100)
    if not report_id:
        raise CallbackError(400, "report_id is required.")
    status = credit_status.answer_state(_text(data, "status", 20))
    if status is None:
        raise CallbackError(400, 'status must be "credited" or "declined".')
    reason = ""
    if status == "declined":
        reason = credit_status.decline_reason(_text(data, "reason", 100)) or ""
        if not reason:
            raise CallbackError(400, "A decline needs a reason from the list in the docs.")
    revision = data.get("revision", 0)
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        raise CallbackError(400, "revision must be a whole number (0 for the first send).")
    try:
        amount = credit_status.amount(_text(data, "amount", 20))
    except ValueError as exc:
        raise CallbackError(400, f"amount: {exc}") from None
    answer = CreditAnswer(
        status=status,
        revision=revision,
        reason=reason,
        note=_text(data, "note", 500),
        amount=amount,
        event_id=event_id,
    )
    return Callback(report_id, answer, hashlib.sha256(body).hexdigest())


def _text(data: dict, name: str, limit: int) -> str:
    value = data.get(name, "")
    if isinstance(value, int | float) and not isinstance(value, bool) and name == "amount":
        value = str(value)
    if not isinstance(value, str):
        raise CallbackError(400, f"{name} must be a string.")
    if len(value) > limit:
        raise CallbackError(400, f"{name} is longer than {limit} characters.")
    return value.strip()
