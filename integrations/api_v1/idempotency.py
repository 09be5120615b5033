"""Answer a request once: the first answer is stored with a claim and replayed to repeats."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

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
    """Claim every key in this transaction, run the handler, keep a 2xx answer with the claims.

    A concurrent repeat blocks on the unique index until this commits, then replays. A failed
    answer is not kept (the transaction rolls back), so the POS can fix the request and retry.
    With `request_body` (canonical JSON) a repeat of a `sale:` key with another body is 409 and
    names what differed, instead of replaying an answer to a request it did not send."""
    with transaction.atomic():
        if (taken := _claim(retailer, keys, request_fingerprint, request_body or {})) is not None:
            replayed = _replay(retailer, taken, request_fingerprint, request_body)
            transaction.set_rollback(True)  # give back any key claimed with it
            return replayed
        response = handler()
        if 200 <= response.status_code < 300:
            _keep(retailer, keys, response)
        else:
            transaction.set_rollback(True)
        return response


CLAIM_COLUMNS = ("retailer_id", "key", "fingerprint", "request", "status_code", "response")
CLAIM_HEAD = "INSERT INTO api_v1_idempotencyrecord (" + ", ".join(CLAIM_COLUMNS) + ", created_at)"
CLAIM_TAIL = "ON CONFLICT (retailer_id, key) DO NOTHING RETURNING key"


def _claim(retailer: Retailer, keys: Sequence[str], request_fingerprint: str, body: Any):
    """Claim every key in one INSERT; the first key (in order) another request holds, or None.

    ON CONFLICT DO NOTHING waits, as the unique index always made a repeat wait, for a
    concurrent claim of the same key to commit or roll back, and then skips the key only if
    it was committed. No savepoint is needed to survive the refusal (two round trips a sale,
    SPEC §9); PostgreSQL and SQLite both take the statement. No keys: nothing to claim."""
    if not keys:
        return None
    field = IdempotencyRecord._meta.get_field
    request_value = field("request").get_db_prep_save(body, connection)
    response_value = field("response").get_db_prep_save({}, connection)
    now = field("created_at").get_db_prep_save(timezone.now(), connection)
    rows, params = [], []
    for key in keys:
        rows.append("(%s, %s, %s, %s, %s, %s, %s)")
        params += [retailer.pk, key, request_fingerprint, request_value, 0, response_value, now]
    sql = " ".join((CLAIM_HEAD, "VALUES", ", ".join(rows), CLAIM_TAIL))
    with preparing_cursor(connection) as cursor:  # one key: one text, planned once
        cursor.execute(sql, params)
        claimed = {row[0] for row in cursor.fetchall()}
    return next((key for key in keys if key not in claimed), None)


def _keep(retailer: Retailer, keys: Sequence[str], response: Response) -> None:
    """The answer kept with the claims, for repeats to replay. One UPDATE, its SQL written
    once (the ORM compiled it anew on every sale). No keys: nothing was claimed."""
    if not keys:
        return
    answer = json.loads(json.dumps(response.data, cls=JSONEncoder))
    value = IdempotencyRecord._meta.get_field("response").get_db_prep_save(answer, connection)
    placeholders = "(" + ", ".join(["%s"] * len(keys)) + ")"
    sql = " ".join((KEEP_HEAD, placeholders))
    with preparing_cursor(connection) as cursor:
        cursor.execute(sql, [response.status_code, value, retailer.pk, *keys])


KEEP_HEAD = "UPDATE api_v1_idempotencyrecord SET status_code = %s, response = %s"
KEEP_HEAD += " WHERE retailer_id = %s AND key IN"


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
