"""Answer a request once: the first answer is stored with a claim and replayed to repeats."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from loyalty.models import Retailer

from .errors import error_body
from .models import IdempotencyRecord

REPLAYED_HEADER = "Idempotent-Replayed"
HEADER_KEY_MAX = 200


def fingerprint(path: str, data: Any) -> str:
    canonical = json.dumps([path, data], sort_keys=True, cls=JSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def canonical(data: Any) -> Any:
    """The request as plain JSON values, so two equal requests compare equal however sent."""
    return json.loads(json.dumps(data, sort_keys=True, cls=JSONEncoder))


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    """{"lines": [{"quantity": 2}]} → {"lines[0].quantity": 2}, the names errors use."""
    if isinstance(data, dict):
        pairs = [(f"{prefix}.{name}" if prefix else name, value) for name, value in data.items()]
    elif isinstance(data, list):
        pairs = [(f"{prefix}[{index}]", value) for index, value in enumerate(data)]
    else:
        return {prefix: data}
    flat: dict[str, Any] = {}
    for name, value in pairs:
        flat |= _flat(value, name)
    return flat


def differences(first: Any, now: Any) -> dict[str, str]:
    """Each field whose value differs between two requests, and both values."""
    before, after = _flat(first), _flat(now)
    changed = {}
    for name in sorted(before.keys() | after.keys()):
        if before.get(name) != after.get(name):
            was = json.dumps(before[name]) if name in before else "(not sent)"
            is_ = json.dumps(after[name]) if name in after else "(not sent)"
            changed[name] = f"first posted as {was}, now {is_}"
    return changed


def header_key(value: str | None) -> str | None:
    value = (value or "").strip()
    return f"header:{value[:HEADER_KEY_MAX]}" if value else None


def run_once(
    *,
    retailer: Retailer,
    keys: Sequence[str],
    request_fingerprint: str,
    handler: Callable[[], Response],
    request_body: Any = None,
) -> Response:
    """Claim every key in this transaction, run the handler, keep a 2xx answer with the claims.

    A concurrent repeat blocks on the unique index until this commits, then replays. A failed
    answer is not kept (the transaction rolls back), so the POS can fix the request and retry.
    With `request_body` (canonical JSON) a repeat of a `sale:` key with another body is 409 and
    names what differed, instead of replaying an answer to a request it did not send."""
    with transaction.atomic():
        for key in keys:
            try:
                with transaction.atomic():
                    IdempotencyRecord.objects.create(
                        retailer=retailer,
                        key=key,
                        fingerprint=request_fingerprint,
                        request=request_body or {},
                    )
            except IntegrityError:
                replayed = _replay(retailer, key, request_fingerprint, request_body)
                transaction.set_rollback(True)  # give back any key claimed before this one
                return replayed
        response = handler()
        if 200 <= response.status_code < 300:
            IdempotencyRecord.objects.filter(retailer=retailer, key__in=keys).update(
                status_code=response.status_code,
                response=json.loads(json.dumps(response.data, cls=JSONEncoder)),
            )
        else:
            transaction.set_rollback(True)
        return response


def _replay(retailer: Retailer, key: str, request_fingerprint: str, body: Any) -> Response:
    record = IdempotencyRecord.objects.get(retailer=retailer, key=key)
    # A record from before bodies were kept has none to compare: replayed as it always was.
    if key.startswith("sale:") and body is not None and record.request and record.request != body:
        return _sale_id_reused(key.removeprefix("sale:"), differences(record.request, body))
    if key.startswith("header:") and record.fingerprint != request_fingerprint:
        body = error_body(
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different request. "
            "Send a new key with a new request.",
        )
        return Response(body, status=422)
    return Response(record.response, status=record.status_code, headers={REPLAYED_HEADER: "true"})


def _sale_id_reused(sale_id: str, changed: dict[str, str]) -> Response:
    names = ", ".join(list(changed)[:5]) + (", ..." if len(changed) > 5 else "")
    body = error_body(
        "sale_id_reused",
        f"Sale {sale_id} was already posted with other details ({names}); the first one was "
        "recorded and nothing changed. Post a different sale under its own pos_sale_id; a "
        "return of this sale is a new sale with negative quantities.",
        fields=changed,
    )
    return Response(body, status=409)
