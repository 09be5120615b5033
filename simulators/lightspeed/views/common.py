"""What every sandbox API view shares: R-Series error bodies, bearer auth, the rate limit."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .. import bucket
from ..models import SandboxAccount, SandboxToken

ApiView = Callable[..., HttpResponse]


class ApiError(Exception):
    """Raised inside a view; becomes an R-Series error body with this status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error(status: int, message: str) -> JsonResponse:
    # R-Series error bodies carry httpCode/httpMessage/message, all strings.
    reason = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
    body = {
        "httpCode": str(status),
        "httpMessage": reason.get(status, "Too Many Requests" if status == 429 else "Error"),
        "message": message,
        "errorClass": "Exception",
    }
    return JsonResponse(body, status=status)


def bearer_account(request: HttpRequest) -> SandboxAccount | None:
    """The account whose live access token (or script token) the request carries."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    account = SandboxAccount.objects.filter(script_token=token).first()
    if account is not None:
        return account
    issued = SandboxToken.objects.select_related("account").filter(access_token=token).first()
    # R-Series: an expired token gives 401 "Access token could not be verified" (reference §2.1).
    if issued is None or issued.is_expired:
        return None
    return issued.account


def api_view(*, write_cost: float = bucket.READ_COST) -> Callable[[ApiView], ApiView]:
    """Bearer auth, the account in the URL, the leaky bucket and its header, JSON errors."""

    def decorate(view: ApiView) -> ApiView:
        @csrf_exempt  # machine clients with bearer tokens, no cookies
        @wraps(view)
        def wrapper(request: HttpRequest, account_id: str, **kwargs: Any) -> HttpResponse:
            account = bearer_account(request)
            if account is None:
                return error(401, "Access token could not be verified.")
            # Another account's id answers like a missing one.
            if account.account_id != account_id:
                return error(404, f"Account {account_id} not found.")
            is_write = request.method in ("POST", "PUT")
            state = bucket.take(account.pk, write_cost if is_write else bucket.READ_COST)
            if not state.allowed:
                response = error(429, "Rate limit exceeded: api-leaky-bucket")
                response["Retry-After"] = str(state.retry_after)
                response["X-LS-API-RateLimit-Type"] = "api-leaky-bucket"
            else:
                try:
                    response = view(request, account, **kwargs)
                except ApiError as exc:
                    response = error(exc.status, exc.message)
            response["X-LS-API-Bucket-Level"] = state.header
            response["X-LS-API-Drip-Rate"] = f"{state.drip_rate:g}"
            response["X-LS-Acct-Id"] = account.account_id
            return response

        return wrapper

    return decorate


def json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise ApiError(400, "The request body is not JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return body


def account_object(model: type, account: SandboxAccount, object_id: int, name: str) -> Any:
    """One of the account's rows by its numeric id, or a 404 ApiError."""
    row = model.objects.filter(account=account, pk=object_id).first()
    if row is None:
        raise ApiError(404, f"{name} {object_id} not found.")
    return row
