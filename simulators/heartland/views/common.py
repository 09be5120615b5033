"""What every sandbox API view shares: Heartland error bodies, the bearer token, the request
budget, pagination and _include[] parameters ("notes §x" is docs/heartland.md)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .. import shapes
from ..models import SandboxAccount

ApiView = Callable[..., HttpResponse]


class ApiError(Exception):
    """Raised inside a view; becomes a Heartland error body with this status."""

    def __init__(self, status: int, error: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status, self.error, self.message, self.details = status, error, message, details


def json_response(data: Any, status: int = 200) -> HttpResponse:
    body = json.dumps(shapes.plain(data))
    return HttpResponse(body, status=status, content_type="application/json")


def error(status: int, error_code: str, message: str, details: dict | None = None):
    # Heartland error bodies: {"error": "validation_error", "message": ..., "details": {...}}
    # (notes §3).
    body: dict[str, Any] = {"error": error_code, "message": message}
    if details:
        body["details"] = details
    return json_response(body, status=status)


def bearer_account(request: HttpRequest) -> SandboxAccount | None:
    """The account whose live API token the request carries (notes §2)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return SandboxAccount.objects.filter(api_token=token.strip(), token_revoked=False).first()


def take_request(account: SandboxAccount) -> int:
    """Count the request in the account's window; 0 when allowed, else seconds to wait."""
    with transaction.atomic():
        account = SandboxAccount.objects.select_for_update().get(pk=account.pk)
        now = timezone.now()
        elapsed = (now - account.window_started_at).total_seconds()
        if elapsed >= account.rate_window_seconds:
            account.window_started_at, account.window_count, elapsed = now, 0, 0.0
        allowed = account.window_count < account.rate_limit
        if allowed:
            account.window_count += 1
        account.save(update_fields=["window_started_at", "window_count"])
    return 0 if allowed else max(1, math.ceil(account.rate_window_seconds - elapsed))


def api_view(view: ApiView) -> ApiView:
    """Bearer auth, the request budget, JSON errors; GET only (Astro only reads)."""

    @csrf_exempt  # machine clients with bearer tokens, no cookies
    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if request.method != "GET":
            return error(405, "method_not_allowed", f"{request.method} is not supported here.")
        account = bearer_account(request)
        if account is None:
            return error(401, "unauthorized", "Invalid or revoked API token.")
        wait = take_request(account)
        if wait:
            response = error(429, "rate_limited", "Too many requests. Slow down.")
            response["Retry-After"] = str(wait)
            return response
        try:
            return view(request, account, **kwargs)
        except ApiError as exc:
            return error(exc.status, exc.error, exc.message, exc.details)

    return wrapper


def page_params(request: HttpRequest) -> tuple[int, int]:
    """(page, per_page): per_page defaults to 20 and is capped at 100 (notes §3)."""
    found = []
    for name, default in (("page", 1), ("per_page", shapes.DEFAULT_PER_PAGE)):
        raw = request.GET.get(name, "")
        if raw == "":
            found.append(default)
            continue
        if not raw.isdigit() or int(raw) < 1:
            message = f"{name} must be a positive integer"
            raise ApiError(400, "validation_error", message, {name: [message]})
        found.append(int(raw))
    return found[0], min(found[1], shapes.MAX_PER_PAGE)


def includes(request: HttpRequest, allowed: set[str]) -> set[str]:
    """The _include[] names asked for; an unknown one is a validation error."""
    names = set(request.GET.getlist("_include[]")) | set(request.GET.getlist("_include"))
    unknown = names - allowed
    if unknown:
        message = f"Unknown association(s): {', '.join(sorted(unknown))}"
        raise ApiError(400, "validation_error", message, {"_include": [message]})
    return names


def not_found(kind: str, object_id: int) -> ApiError:
    return ApiError(404, "not_found", f"{kind} {object_id} not found")
