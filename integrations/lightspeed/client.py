"""HTTP to Lightspeed R-Series V3 only: timeouts, rotating OAuth tokens, rate limits, errors."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

import httpx

from integrations.base import (
    PosAuthError,
    PosBadResponse,
    PosNotFound,
    PosRateLimited,
    PosUnavailable,
)

# "reference §x" below is shared/reference/lightspeed.md, the R-Series research notes.

# Every call has a timeout (DESIGN.md): 3 s to connect, 10 s for everything else.
TIMEOUT = httpx.Timeout(10.0, connect=3.0)
# R-Series: one JSON-encoded array of relations (reference §2.3).
SALE_RELATIONS = json.dumps(["SaleLines", "SaleLines.Item", "Customer", "Customer.Contact"])
CUSTOMER_RELATIONS = json.dumps(["Contact"])
# One pooled client per process, shared by every account's LightspeedClient: building an
# httpx.Client loads the TLS trust store (tens of milliseconds, most of Astro's share of a
# button click), and a kept-alive connection saves the next click its handshake. httpx.Client
# is safe to share between threads; each request carries its own Authorization header.
_http = httpx.Client(timeout=TIMEOUT, headers={"Accept": "application/json"})


class TokenStore(Protocol):
    """Where one account's rotating access/refresh pair lives (a DB row in production)."""

    def load(self) -> tuple[str, str]:
        """The current (access_token, refresh_token)."""
        ...

    def save(self, access: str, refresh: str, expires_in: int) -> None:
        """Store a freshly issued pair; the old refresh token is dead from now on."""
        ...

    def refresh_lock(self) -> AbstractContextManager[Any]:
        """Held while refreshing, so two workers never spend the same refresh token."""
        ...


class InMemoryTokenStore:
    """A TokenStore for tests and scripts: one process, a threading lock."""

    def __init__(self, access: str, refresh: str) -> None:
        self.access = access
        self.refresh = refresh
        self.expires_in: int | None = None
        self.saves = 0
        self._lock = threading.Lock()

    def load(self) -> tuple[str, str]:
        return self.access, self.refresh

    def save(self, access: str, refresh: str, expires_in: int) -> None:
        self.access, self.refresh, self.expires_in = access, refresh, expires_in
        self.saves += 1

    @contextmanager
    def refresh_lock(self) -> Iterator[None]:
        with self._lock:
            yield


class LightspeedClient:
    """One R-Series account's API. Methods return the parsed JSON or raise IntegrationError."""

    def __init__(
        self,
        api_base: str,
        account_id: str,
        tokens: TokenStore,
        client_id: str,
        client_secret: str,
        auth_base: str,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.auth_base = auth_base.rstrip("/")
        self.account_id = account_id
        self.tokens = tokens
        self.client_id = client_id
        self.client_secret = client_secret
        self._http = _http

    def close(self) -> None:
        """Nothing to close: the process's pooled client outlives each account's client."""

    def get_sale(self, sale_id: str) -> dict[str, Any]:
        """GET Sale/{id}.json with SaleLines.Item and Customer.Contact (reference §2.3)."""
        return self._get(f"Sale/{_id(sale_id)}.json", {"load_relations": SALE_RELATIONS})

    def get_customer(self, customer_id: str) -> dict[str, Any]:
        """GET Customer/{id}.json with its Contact (emails, phones, addresses)."""
        path = f"Customer/{_id(customer_id)}.json"
        return self._get(path, {"load_relations": CUSTOMER_RELATIONS})

    # --- internals ------------------------------------------------------------------------
    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        url = f"{self.api_base}/API/V3/Account/{self.account_id}/{path}"
        access, _ = self.tokens.load()
        response = self._send("GET", url, params=params, access=access)
        if response.status_code == 401:
            # R-Series: refresh once on 401 and retry (reference §2.1).
            access = self._refresh(stale_access=access)
            response = self._send("GET", url, params=params, access=access)
            if response.status_code == 401:
                raise PosAuthError()
        return _json(_checked(response))

    def _send(self, method: str, url: str, *, access: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {access}"}
        try:
            # The timeout is read at each call (a setting or a test may change it).
            return self._http.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
        except httpx.TransportError as exc:  # connect/read timeouts, refused, reset
            raise PosUnavailable() from exc

    def _refresh(self, *, stale_access: str) -> str:
        """A working access token, refreshing at most once across workers sharing the store."""
        with self.tokens.refresh_lock():
            # Another worker may have refreshed while we waited for the lock: its pair is
            # the live one and our refresh token is already revoked (reference §2.1).
            access, refresh = self.tokens.load()
            if access != stale_access:
                return access
            data = self._token_request(refresh)
            # Save before use: the old refresh token is dead from now on (reference §2.1).
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
            response = self._http.post(
                f"{self.auth_base}/auth/oauth/token", data=form, timeout=TIMEOUT
            )
        except httpx.TransportError as exc:
            raise PosUnavailable() from exc
        if response.status_code in (400, 401, 403):
            # invalid_grant / invalid_client: only an admin re-connecting can fix this.
            raise PosAuthError()
        data = _json(_checked(response))
        if not all(isinstance(data.get(key), str) for key in ("access_token", "refresh_token")):
            raise PosBadResponse("Lightspeed's token answer has no access and refresh token.")
        expires_in = data.get("expires_in", 0)
        data["expires_in"] = int(expires_in) if str(expires_in).isdigit() else 0
        return data


def _id(value: str) -> str:
    # R-Series ids are numeric; anything else must not reach the URL path.
    if not str(value).isdigit():
        raise PosNotFound()
    return str(value)


def _checked(response: httpx.Response) -> httpx.Response:
    """The response if it is a 2xx, else the IntegrationError it stands for."""
    status = response.status_code
    if status == 429:
        # R-Series: Retry-After is in seconds (reference §2.2); the caller decides whether
        # to wait, never this request path.
        raise PosRateLimited(retry_after=_retry_after(response.headers.get("Retry-After")))
    if status == 404:
        raise PosNotFound()
    if status in (401, 403):
        raise PosAuthError()
    if status >= 500:
        raise PosUnavailable()
    if not 200 <= status < 300:
        raise PosBadResponse(f"Lightspeed answered HTTP {status}.")
    return response


def _retry_after(value: str | None) -> float:
    try:
        seconds = float(value or 1)
    except ValueError:
        return 1.0
    return seconds if math.isfinite(seconds) and seconds >= 0 else 1.0


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise PosBadResponse() from None
    if not isinstance(data, dict):
        raise PosBadResponse()
    return data
