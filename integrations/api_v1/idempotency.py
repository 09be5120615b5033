"""Answer a request once: the first answer is kept under its keys and replayed to repeats."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from loyalty.errors import DomainError
from loyalty.models import Retailer
from loyalty.selectors.prepared_cursor import preparing_cursor

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
    """Run the handler and keep its 2xx answer under every key, in this transaction; a repeat
    replays the kept answer and changes nothing.

    The keys are written once, with the answer, after the handler: one INSERT a request
    instead of a claim before and an update after (SPEC §9). So a repeat runs the handler too
    and is rolled back when the INSERT finds a key kept: a concurrent repeat waits (on the
    owner or card the first one locked, or on the unique index) until the first commits, then
    replays. A refusal is not kept, so the POS can fix the request and retry; but a repeat
    that the first request's own effect refuses (its card is redeemed now, say) replays the
    first answer, as a repeat always did. With `request_body` (canonical JSON) a repeat of a
    `sale:` key with another body is 409 and names what differed, instead of replaying an
    answer to a request it did not send."""
    kept_under = None
    try:
        with transaction.atomic():
            response = handler()
            if 200 <= response.status_code < 300:
                kept_under = _keep(retailer, keys, request_fingerprint, request_body, response)
                if kept_under is None:
                    return response
            transaction.set_rollback(True)  # a refusal, or a repeat: nothing it did stays
    except (APIException, DomainError, Http404):  # what the API answers as a refusal
        if (kept_under := _first_kept(retailer, keys)) is None:
            raise
    else:
        if kept_under is None and (kept_under := _first_kept(retailer, keys)) is None:
            return response  # a refusal, not kept: the POS can fix the request and retry
    # Read after the rollback: a refusal may leave the transaction unusable.
    return _replay(retailer, kept_under, request_fingerprint, request_body)


KEEP_COLUMNS = ("retailer_id", "key", "fingerprint", "request", "status_code", "response")
KEEP_HEAD = "INSERT INTO api_v1_idempotencyrecord (" + ", ".join(KEEP_COLUMNS) + ", created_at)"
KEEP_TAIL = "ON CONFLICT (retailer_id, key) DO NOTHING RETURNING key"


def _keep(
    retailer: Retailer,
    keys: Sequence[str],
    request_fingerprint: str,
    body: Any | None,
    response: Response,
) -> str | None:
    """Keep the answer under every key in one INSERT; the first key (in order) another request
    kept, or None. No keys: nothing to keep.

    ON CONFLICT DO NOTHING waits, as the unique index always made a repeat wait, for a
    concurrent insert of the same key to commit or roll back, and then skips the key only if
    it was committed. No savepoint is needed to survive the refusal; PostgreSQL and SQLite
    both take the statement. Its SQL is written once (the ORM compiled it anew each time)."""
    if not keys:
        return None
    field = IdempotencyRecord._meta.get_field
    request_value = field("request").get_db_prep_save(body or {}, connection)
    answer = json.loads(json.dumps(response.data, cls=JSONEncoder))
    response_value = field("response").get_db_prep_save(answer, connection)
    now = field("created_at").get_db_prep_save(timezone.now(), connection)
    rows, params = [], []
    for key in keys:
        rows.append("(%s, %s, %s, %s, %s, %s, %s)")
        params += [retailer.pk, key, request_fingerprint, request_value]
        params += [response.status_code, response_value, now]
    sql = " ".join((KEEP_HEAD, "VALUES", ", ".join(rows), KEEP_TAIL))
    with preparing_cursor(connection) as cursor:  # one key: one text, planned once
        cursor.execute(sql, params)
        kept = {row[0] for row in cursor.fetchall()}
    return next((key for key in keys if key not in kept), None)


def _first_kept(retailer: Retailer, keys: Sequence[str]) -> str | None:
    """The first key (in order) an earlier request kept an answer under, or None: asked only
    when the handler refused, so a repeat still gets the first answer."""
    if not keys:
        return None
    found = set(
        IdempotencyRecord.objects.filter(retailer=retailer, key__in=keys).values_list(
            "key", flat=True
        )
    )
    return next((key for key in keys if key in found), None)


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
