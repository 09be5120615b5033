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


def header_key(value: str | None) -> str | None:
    value = (value or "").strip()
    return f"header:{value[:HEADER_KEY_MAX]}" if value else None


def run_once(
    *,
    retailer: Retailer,
    keys: Sequence[str],
    request_fingerprint: str,
    handler: Callable[[], Response],
) -> Response:
    """Claim every key in this transaction, run the handler, keep a 2xx answer with the claims.

    A concurrent repeat blocks on the unique index until this commits, then replays. A failed
    answer is not kept (the transaction rolls back), so the POS can fix the request and retry."""
    with transaction.atomic():
        for key in keys:
            try:
                with transaction.atomic():
                    IdempotencyRecord.objects.create(
                        retailer=retailer, key=key, fingerprint=request_fingerprint
                    )
            except IntegrityError:
                replayed = _replay(retailer, key, request_fingerprint)
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


def _replay(retailer: Retailer, key: str, request_fingerprint: str) -> Response:
    record = IdempotencyRecord.objects.get(retailer=retailer, key=key)
    if key.startswith("header:") and record.fingerprint != request_fingerprint:
        body = error_body(
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different request. "
            "Send a new key with a new request.",
        )
        return Response(body, status=422)
    return Response(record.response, status=record.status_code, headers={REPLAYED_HEADER: "true"})
