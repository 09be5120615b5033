"""What every sandbox API view shares: the store in the URL, bearer auth, the 5-minute request
window (docs/rate_limiting) and X-Series-shaped JSON errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from ..models import RATE_WINDOW_SECONDS, SandboxRegister, SandboxStore, SandboxToken

ApiView = Callable[..., HttpResponse]


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def store_for(domain_prefix: str) -> SandboxStore:
    store = SandboxStore.objects.filter(domain_prefix=domain_prefix).first()
    if store is None:
        raise Http404("No such sandbox store.")
    return store


def bearer_store(request: HttpRequest, store: SandboxStore) -> bool:
    """Whether the request carries the store's personal token or a live access token of it."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    if token == store.personal_token:
        return True
    issued = SandboxToken.objects.filter(store=store, access_token=token).first()
    return issued is not None and issued.expires_at > timezone.now()


@transaction.atomic
def take_request(store_pk: int) -> tuple[bool, int, int, str]:
    """(allowed, limit, remaining, retry-after date) for one more request in the window."""
    store = SandboxStore.objects.select_for_update().get(pk=store_pk)
    registers = SandboxRegister.objects.filter(outlet__store=store).count()
    limit = store.rate_limit if store.rate_limit is not None else 300 * max(registers, 1) + 50
    now = timezone.now()
    if (now - store.window_started_at).total_seconds() >= RATE_WINDOW_SECONDS:
        store.window_started_at, store.window_count = now, 0
    store.window_count += 1
    store.save(update_fields=["window_started_at", "window_count"])
    ends = store.window_started_at + timedelta(seconds=RATE_WINDOW_SECONDS)
    remaining = max(limit - store.window_count, 0)
    return store.window_count <= limit, limit, remaining, http_date(ends.timestamp())


def api_view(view: ApiView) -> ApiView:
    """Bearer auth, the request window and its headers, JSON errors."""

    @csrf_exempt  # machine clients with bearer tokens, no cookies
    @wraps(view)
    def wrapper(request: HttpRequest, domain_prefix: str, version: str, **kwargs: Any):
        store = store_for(domain_prefix)
        if not bearer_store(request, store):
            return error(401, "Unauthorized")
        allowed, limit, remaining, retry_at = take_request(store.pk)
        if allowed:
            response = view(request, store, **kwargs)
        else:
            response = error(429, "Rate limit exceeded")
            # docs/rate_limiting: Retry-After carries the date the window opens again.
            response["Retry-After"] = retry_at
        response["X-RateLimit-Limit"] = str(limit)
        response["X-RateLimit-Remaining"] = str(remaining)
        return response

    return wrapper


def page(request: HttpRequest, rows, shape) -> JsonResponse:
    """A collection page by version cursor (docs/pagination): rows with a version above
    `after`, oldest first, `page_size` of them, and the page's version range."""
    after = request.GET.get("after", "")
    size = request.GET.get("page_size", "")
    rows = rows.order_by("version")
    if after.isdigit():
        rows = rows.filter(version__gt=int(after))
    chosen = list(rows[: int(size) if size.isdigit() and 0 < int(size) <= 10_000 else 1000])
    versions = [row.version for row in chosen]
    body = {
        "data": [shape(row) for row in chosen],
        "version": {"min": min(versions, default=None), "max": max(versions, default=None)},
    }
    return JsonResponse(body)
