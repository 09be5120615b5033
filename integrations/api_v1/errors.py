"""Every API error is JSON `{"code", "message"}` with a message that says what to fix."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from astro_site.unavailable import API_MESSAGE as API_UNAVAILABLE
from astro_site.unavailable import RETRY_AFTER_SECONDS, is_database_unavailable
from loyalty.errors import AlreadyRedeemed, DomainError
from loyalty.services.coupons import AlreadyUsed

from .responses import ErrorSerializer

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An answer with our own code and message, e.g. 409 already_linked."""

    def __init__(self, *, status_code: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.extra = extra


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The error answer, rendered by the serializer the OpenAPI document shows for it; an
    extra the serializer does not declare is left out, so the document stays true."""
    return ErrorSerializer({"code": code, "message": message, **extra}).data


def _field_messages(detail: Any, prefix: str = "") -> dict[str, str]:
    """Flatten DRF's nested validation errors to {"lines[0].quantity": "..."}."""
    if isinstance(detail, dict):
        flat: dict[str, str] = {}
        for name, value in detail.items():
            if isinstance(name, int) or str(name).isdigit():  # a list's items, by index
                key = f"{prefix.rstrip('.')}[{name}]"
            else:
                key = name if name == "non_field_errors" else f"{prefix}{name}"
            flat.update(_field_messages(value, f"{key}."))
        return flat
    if isinstance(detail, list) and detail and not isinstance(detail[0], str):
        flat = {}
        base = prefix.rstrip(".")
        for index, value in enumerate(detail):
            flat.update(_field_messages(value, f"{base}[{index}]."))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix.rstrip(".") or "request": " ".join(str(m) for m in messages if m)}


def _validation_response(exc: exceptions.ValidationError) -> Response:
    fields = {name: msg for name, msg in _field_messages(exc.detail).items() if msg}
    first = next(iter(fields.items()), ("request", "The request is not valid."))
    name = "" if first[0] in ("request", "non_field_errors") else f"{first[0]}: "
    body = error_body("invalid", f"{name}{first[1]}", fields=fields)
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _detail_message(exc: exceptions.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, list | dict):
        return " ".join(_field_messages(detail).values())
    return str(detail)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if is_database_unavailable(exc):
        return database_unavailable_response(exc)
    if isinstance(exc, ApiError):
        return Response(error_body(exc.code, exc.message, **exc.extra), status=exc.status_code)
    if isinstance(exc, AlreadyRedeemed | AlreadyUsed):
        return Response(error_body("already_redeemed", exc.message), status=409)
    if isinstance(exc, DomainError):
        # A loyalty rule said no (SPEC wording in the message); nothing was changed.
        code = type(exc).__name__ if type(exc) is not DomainError else "rule"
        return Response(error_body(_snake(code), exc.message), status=422)
    if isinstance(exc, exceptions.ValidationError):
        return _validation_response(exc)
    if isinstance(exc, Http404):
        # Django's own text names a model; the POS needs to hear which id to check.
        exc = exceptions.NotFound("Nothing with that id exists in this store. Check the id.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        # A bug on our side. Writes run in transactions and repeats are answered once, so
        # the POS may simply retry.
        logger.error("API request failed", exc_info=exc)
        message = (
            "Astro could not complete this request. Try again in a minute; if it keeps "
            "failing, contact Astro support."
        )
        return Response(error_body("server_error", message), status=500)
    if isinstance(exc, exceptions.Throttled):
        wait = max(int(exc.wait or 1), 1)
        message = getattr(exc, "message", "") or (
            f"Too many requests for this API key. Wait {wait} seconds and try again."
        )
        response.data = error_body(_code(exc), message, retry_after_seconds=wait)
    else:
        response.data = error_body(_code(exc), _detail_message(exc))
    return response


def database_unavailable_response(exc: Exception) -> Response:
    """503, not 500: nothing was recorded (every write is one transaction), so retry."""
    logger.error("API request without its database: %s", exc, exc_info=exc)
    body = error_body("database_unavailable", API_UNAVAILABLE)
    return Response(body, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


@csrf_exempt  # a POS's POST to a wrong path must get this answer, not the CSRF page
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown paths under /api/v1/ answer JSON too, not the site's HTML 404 page."""
    body = error_body(
        "not_found", "There is no such API endpoint. The endpoints are listed at /api/v1/docs/."
    )
    return JsonResponse(body, status=404)
