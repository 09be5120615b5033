"""HTTP to the Heartland Retail REST API only: a bearer token, timeouts, pages, errors.

"notes §x" below is docs/heartland.md, the research notes with their sources.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from integrations.base import (
    PosAuthError,
    PosBadResponse,
    PosNotFound,
    PosRateLimited,
    PosUnavailable,
)

# Every call has a timeout (DESIGN.md): 3 s to connect, 10 s for everything else.
TIMEOUT = httpx.Timeout(10.0, connect=3.0)
# Collections answer {"total", "pages", "per_page", "results"} and take page/per_page (notes §3).
PER_PAGE = 100
# A ticket of more than 2,000 lines is not a sale at a pet store's counter: stop rather than
# keep the cashier waiting on page after page.
MAX_PAGES = 20
# Vendor messages are shown to the cashier; a page of HTML must not be.
MESSAGE_LIMIT = 200


class HeartlandClient:
    """One Heartland Retail account's API. Methods return parsed JSON (numbers as Decimal) or
    raise an IntegrationError. The token is a per-user API token or an OAuth access token; both
    are sent the same way and neither expires or rotates (notes §2), so there is no refresh."""

    def __init__(self, *, api_base: str, token: str, timeout: httpx.Timeout | None = None):
        self.api_base = api_base.rstrip("/")
        self._http = httpx.Client(
            timeout=timeout or TIMEOUT,
            headers={"Accept": "application/json", "Authorization": f"Bearer {token}"},
        )

    def __repr__(self) -> str:  # never the token
        return f"HeartlandClient({self.api_base!r})"

    def close(self) -> None:
        self._http.close()

    # --- Resources -----------------------------------------------------------------------
    def get_ticket(self, ticket_id: str) -> dict[str, Any]:
        """GET sales/tickets/{id} with its customer embedded (notes §4)."""
        return self._object(f"sales/tickets/{_id(ticket_id)}", {"_include[]": "customer"})

    def ticket_lines(self, ticket_id: str) -> list[dict[str, Any]]:
        """Every line of the ticket, page after page, each with its item embedded (notes §4)."""
        return self._all(f"sales/tickets/{_id(ticket_id)}/lines", {"_include[]": "item"})

    def get_customer(self, customer_id: str) -> dict[str, Any]:
        return self._object(f"customers/{_id(customer_id)}")

    def customer_addresses(self, customer_id: str) -> list[dict[str, Any]]:
        """Heartland keeps phone numbers on addresses (notes §5)."""
        return self._all(f"customers/{_id(customer_id)}/addresses")

    def locations(self) -> list[dict[str, Any]]:
        """The account's stores; also what checks a token when an admin connects."""
        return self._all("locations")

    # --- internals ------------------------------------------------------------------------
    def _object(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        data = self._get(path, params or {})
        if not isinstance(data, dict):
            raise PosBadResponse("Heartland sent something other than a record.")
        return data

    def _all(self, path: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        return [row for page in self._pages(path, params or {}) for row in page]

    def _pages(self, path: str, params: dict[str, str]) -> Iterator[list[dict[str, Any]]]:
        """Pages 1..pages of a collection; `pages` comes from the first answer (notes §3)."""
        page, pages = 1, 1
        while page <= pages:
            if page > MAX_PAGES:
                raise PosBadResponse("Heartland has more lines on this ticket than Astro reads.")
            body = self._get(path, {**params, "page": str(page), "per_page": str(PER_PAGE)})
            results, count = _page(body)
            if page == 1:
                # The server may cap per_page below what was asked; its own page count says
                # how many pages there are, so a short page is not taken as the last.
                pages = count
            yield results
            if not results:  # past the end: nothing more will come
                return
            page += 1

    def _get(self, path: str, params: dict[str, str]) -> Any:
        try:
            response = self._http.get(f"{self.api_base}/{path}", params=params)
        except httpx.TransportError as exc:  # refused, reset, connect or read timeout
            raise PosUnavailable("Heartland Retail is not answering right now.") from exc
        return _json(_checked(response))


def _id(value: str) -> str:
    # Heartland ids are integers (notes §4); anything else must not reach the URL path.
    text = str(value).strip()
    if not text.isdigit() or len(text) > 18:
        raise PosNotFound()
    return text


def _page(body: Any) -> tuple[list[dict[str, Any]], int]:
    """(results, pages) of one page of a collection."""
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise PosBadResponse("Heartland sent a list without its results.")
    results = body["results"]
    if not all(isinstance(row, dict) for row in results):
        raise PosBadResponse("Heartland sent a list with something other than records in it.")
    pages = body.get("pages", 1)
    if isinstance(pages, Decimal) and pages.is_finite() and pages == pages.to_integral_value():
        pages = int(pages)
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 0:
        raise PosBadResponse("Heartland sent a list with a page count Astro cannot read.")
    return results, pages


def _checked(response: httpx.Response) -> httpx.Response:
    """The response if it is a 2xx, else the IntegrationError it stands for."""
    status = response.status_code
    if 200 <= status < 300:
        return response
    if status == 429:
        # The caller decides whether to wait, never this request path.
        raise PosRateLimited(retry_after=retry_after(response.headers.get("Retry-After")))
    if status == 404:
        raise PosNotFound()
    if status == 401:
        # Tokens do not expire (notes §2): a 401 is a revoked token or a deleted user.
        raise PosAuthError(
            "Heartland Retail refused Astro's API token (it may have been revoked). "
            "An admin needs to connect the store again under Settings → Heartland."
        )
    if status == 403:
        raise PosAuthError(
            "The Heartland Retail user behind Astro's API token may not read tickets or "
            "customers. An admin can give that user the permission or connect another user."
        )
    if status >= 500:
        raise PosUnavailable()
    raise PosBadResponse(f"Heartland Retail answered HTTP {status}: {vendor_message(response)}")


def vendor_message(response: httpx.Response) -> str:
    """The `message` of a Heartland error body {"error", "message", "details"} (notes §3)."""
    try:
        body = response.json()
    except ValueError:
        return "no details."
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message.strip():
        return "no details."
    text = " ".join(message.split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def retry_after(value: str | None) -> float:
    """Retry-After in seconds: a number, or an HTTP date (RFC 9110 allows both)."""
    if not value:
        return 1.0
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return 1.0
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(seconds, 0.0) if math.isfinite(seconds) else 1.0


def _json(response: httpx.Response) -> Any:
    # Money and quantities are JSON numbers (notes §4): read them as Decimal, never float.
    try:
        return json.loads(response.content, parse_float=Decimal, parse_constant=_no_constant)
    except ValueError:
        raise PosBadResponse("Heartland Retail sent an answer that is not JSON.") from None


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python's parser would let them through as floats.
    raise ValueError(f"{name} is not a JSON value")
