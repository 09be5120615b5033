"""The database briefly unreachable: a clear 503 (a page, a line for htmx, JSON for the API).

Every write runs in a transaction, so a request that lost its database half-way wrote nothing;
saying "try again in a moment" is both true and what the cashier or the POS can act on.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
PAGE_MESSAGE = (
    "Astro cannot reach its database right now. Nothing was saved. Wait a moment, then try again."
)
API_MESSAGE = (
    "Astro's database is unreachable for a moment; nothing was recorded. Retry the same request "
    f"in {RETRY_AFTER_SECONDS} seconds."
)


def is_database_unavailable(exc: BaseException | None) -> bool:
    """A lost or refused database connection (Django wraps the driver's errors in these)."""
    return isinstance(exc, OperationalError | InterfaceError)


def api_unavailable_body() -> dict[str, str]:
    """The API's error shape (integrations/api_v1/errors.py: code and message)."""
    return {"code": "database_unavailable", "message": API_MESSAGE}


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 in the form the caller reads: JSON under /api/, text for htmx, else a page. Nothing
    here touches the database (no context processors, no session)."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(api_unavailable_body(), status=503)
    elif request.headers.get("HX-Request"):
        # checkout.js shows a text/plain error answer in the page's alert bar.
        response = HttpResponse(PAGE_MESSAGE, status=503, content_type="text/plain")
    else:
        html = render_to_string("503.html", {"message": PAGE_MESSAGE})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database in a view into the 503 above instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        logger.error("Database unavailable: %s", exception, exc_info=exception)
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database lost outside a view (in a middleware) is a 503 too."""
    exc = sys.exc_info()[1]
    if is_database_unavailable(exc):
        return unavailable_response(request)
    return defaults.server_error(request)
