"""HTTP to the Lightspeed Retail X-Series API only: timeouts, rotating OAuth tokens, the rate
limit, version-cursor pagination and errors. Methods return the parsed JSON's `data` or raise
an IntegrationError; nothing here knows what a PosSale is.

Sources (x-series-api.lightspeedhq.com): docs/versioning-strategy (date-based versions such as
2026-04 in the path, each supported for at least 12 months), docs/authorization and
changelog/2025-03-refresh-token-flow-update (POST /api/1.0/token; every refresh issues a new
refresh token and revokes the old one), docs/rate_limiting (429 with Retry-After given as an
HTTP date), docs/pagination (API 2.0+ pages by `after` = the previous page's version.max).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime
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
from integrations.oauth_tokens import TokenStore

# Every call has a timeout (DESIGN.md): 3 s to connect, 10 s for everything else.
TIMEOUT = httpx.Timeout(10.0, connect=3.0)
# X-Series ids are UUIDs; anything else must not reach a URL path.
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# A cursor that stops moving (an odd answer) must not loop for ever.
MAX_PAGES = 100
MAX_RETRY_AFTER = 3600.0


class XSeriesClient:
    """One X-Series store's API (https://{domain_prefix}.retail.lightspeed.app)."""

    def __init__(
        self,
        *,
        api_base: str,
        api_version: str,
        tokens: TokenStore,
        client_id: str,
        client_secret: str,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.api_version = api_version
        self.tokens = tokens
        self.client_id, self.client_secret = client_id, client_secret
        # X-RateLimit-Remaining of the last answer, so a sweep can stop before a 429.
        self.rate_limit_remaining: int | None = None
        self._http = httpx.Client(timeout=TIMEOUT, headers={"Accept": "application/json"})

    def close(self) -> None:
        self._http.close()

    def get_sale(self, sale_id: str) -> dict[str, Any]:
        return self._one(f"sales/{_id(sale_id)}")

    def get_product(self, product_id: str) -> dict[str, Any]:
        return self._one(f"products/{_id(product_id)}")

    def get_customer(self, customer_id: str) -> dict[str, Any]:
        return self._one(f"customers/{_id(customer_id)}")

    def list_outlets(self, *, page_size: int = 100) -> list[dict[str, Any]]:
        return list(self._pages("outlets", page_size=page_size))

    def sales_after(self, version: int, *, page_size: int = 100) -> Iterator[dict[str, Any]]:
        """Sales changed since `version`, oldest change first (docs/pagination)."""
        return self._pages("sales", page_size=page_size, after=version)

    # --- internals ------------------------------------------------------------------------
    def _one(self, path: str) -> dict[str, Any]:
        data = self._get(path).get("data")
        if not isinstance(data, dict):
            raise PosBadResponse("Lightspeed X-Series sent no object in its answer's data.")
        return data

    def _pages(self, path: str, *, page_size: int, after: int | None = None):
        for _ in range(MAX_PAGES):
            params = {"page_size": str(page_size)} | ({"after": str(after)} if after else {})
            body = self._get(path, params)
            items = body.get("data")
            if not isinstance(items, list):
                raise PosBadResponse("Lightspeed X-Series sent no list in a page's data.")
            top = (body.get("version") or {}).get("max")
            # version.max is null for an empty page; a cursor that does not move (a server
            # that ignored `after`) would repeat the last page for ever.
            if not items or isinstance(top, bool) or not isinstance(top, int):
                yield from items
                return
            if after and top <= after:
                return
            yield from items
            after = top

    def _get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        url = f"{self.api_base}/api/{self.api_version}/{path}"
        access, _ = self.tokens.load()
        response = self._send(url, params, access)
        if response.status_code == 401:
            # An expired access token answers 401: refresh once and retry.
            response = self._send(url, params, self._refresh(stale_access=access))
            if response.status_code == 401:
                raise PosAuthError()
        return _json(self._checked(response))

    def _send(self, url: str, params: dict[str, str] | None, access: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {access}"}
        try:
            return self._http.get(url, params=params, headers=headers)
        except httpx.TransportError as exc:  # connect/read timeouts, refused, reset
            raise PosUnavailable() from exc

    def _refresh(self, *, stale_access: str) -> str:
        """A working access token, refreshing at most once across workers sharing the store."""
        with self.tokens.refresh_lock():
            access, refresh = self.tokens.load()
            if access != stale_access:  # another worker refreshed while we waited
                return access
            if not refresh:  # a personal token cannot be refreshed: an admin must replace it
                raise PosAuthError()
            data = self._token_request(refresh)
            # Save before use: X-Series revoked the old refresh token when it issued this one.
            self.tokens.save(data["access_token"], data["refresh_token"], data["expires_in"])
            return data["access_token"]

    def _token_request(self, refresh: str) -> dict[str, Any]:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        try:
            response = self._http.post(f"{self.api_base}/api/1.0/token", data=form)
        except httpx.TransportError as exc:
            raise PosUnavailable() from exc
        if response.status_code in (400, 401, 403):  # invalid_grant: only reconnecting helps
            raise PosAuthError()
        return token_answer(_json(self._checked(response)))

    def _checked(self, response: httpx.Response) -> httpx.Response:
        remaining = response.headers.get("X-RateLimit-Remaining", "")
        self.rate_limit_remaining = int(remaining) if remaining.isdigit() else None
        return checked(response)


def token_answer(data: dict[str, Any]) -> dict[str, Any]:
    """The token endpoint's answer with a string pair and a whole expires_in (604800 in the
    docs' example; 0 when missing)."""
    for key in ("access_token", "refresh_token"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise PosBadResponse(f"Lightspeed X-Series's token answer has no {key}.")
    expires_in = str(data.get("expires_in", ""))
    return data | {"expires_in": int(expires_in) if expires_in.isdigit() else 0}


def _id(value: str) -> str:
    if not UUID.match(str(value)):
        raise PosNotFound()
    return str(value)


def checked(response: httpx.Response) -> httpx.Response:
    """The response if it is a 2xx, else the IntegrationError it stands for."""
    status = response.status_code
    if status == 429:
        # The caller decides whether to wait; a cashier's request never sleeps here.
        raise PosRateLimited(retry_after=retry_after(response.headers.get("Retry-After")))
    if status == 404:
        raise PosNotFound()
    if status in (401, 403):
        raise PosAuthError()
    if status >= 500:
        raise PosUnavailable()
    if not 200 <= status < 300:
        raise PosBadResponse(f"Lightspeed X-Series answered HTTP {status}.")
    return response


def retry_after(value: str | None, *, now: datetime | None = None) -> float:
    """Seconds to wait: X-Series sends an HTTP date ("Tue, 15 Nov 1994 08:12:31 GMT"); a plain
    number of seconds is accepted too. Anything unreadable means 1 s; never over an hour."""
    text = (value or "").strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return 1.0
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return 1.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise PosBadResponse() from None
    if not isinstance(data, dict):
        raise PosBadResponse()
    return data
