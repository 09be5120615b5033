"""The register's Astro client: HTTP only, Basic auth with the store's API user and key (seed
003: "the same username and password"), short timeouts, and two kinds of failure a register
must tell apart: Astro unreachable (try again later) and Astro refusing (do not repeat)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from .models import RegisterStore

# A cashier waits for these at the counter: a slow Astro must not freeze the register.
TIMEOUT = httpx.Timeout(6.0, connect=2.0)


class AstroUnreachable(Exception):
    """No answer, a timeout, Astro busy (429) or failing (5xx): send again later."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AstroRefused(Exception):
    """Astro answered that the request is wrong (4xx): repeating it will not help."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class AstroAnswer:
    status: int
    body: Any
    replayed: bool  # Astro's Idempotent-Replayed: the first answer to this request, again


class AstroClient:
    def __init__(
        self,
        *,
        api_base: str,
        username: str,
        key: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api_base = api_base if api_base.endswith("/") else api_base + "/"
        self._http = httpx.Client(auth=(username, key), timeout=TIMEOUT, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> AstroClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: dict[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> AstroAnswer:
        headers = {"Accept": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        try:
            response = self._http.request(
                method, self.api_base + path, json=body, params=params, headers=headers
            )
        except httpx.TimeoutException as exc:
            raise AstroUnreachable("Astro did not answer in time.") from exc
        except httpx.HTTPError as exc:
            raise AstroUnreachable("Astro cannot be reached.") from exc
        return _answer(response)

    # The calls a Pinogy/Celerant-style register makes, named as its screens use them.

    def loyalty(self, number: str) -> dict:
        return self.send("GET", f"links/{_segment(number)}/loyalty").body

    def redeemable(self, number: str, inventory: Iterable[str]) -> list[dict]:
        params = {"inventory": ",".join(inventory)}
        return self.send("GET", f"links/{_segment(number)}/redeemable", params=params).body

    def find_by_email(self, email: str) -> list[dict]:
        return self.send("GET", "customers/", params={"email": email}).body

    def create_customer(self, body: dict) -> dict:
        return self.send("POST", "customers/", body=body).body

    def link(self, number: str, astro_id: int) -> dict:
        return self.send("PUT", f"links/{_segment(number)}", body={"astro_id": astro_id}).body

    def unlink(self, number: str) -> None:
        self.send("DELETE", f"links/{_segment(number)}")

    def quote(self, lines: list[dict]) -> dict:
        return self.send("POST", "sales/quote/", body={"lines": lines}).body


def client_for(store: RegisterStore, **kwargs: Any) -> AstroClient:
    """The store's client; while its switch says unreachable, it goes to a dead address."""
    return AstroClient(
        api_base=store.client_api_base, username=store.api_username, key=store.api_key, **kwargs
    )


def _segment(value: str) -> str:
    return quote(value, safe="")


def _answer(response: httpx.Response) -> AstroAnswer:
    status = response.status_code
    if status == 429:
        wait = response.headers.get("Retry-After", "a few")
        raise AstroUnreachable(f"Astro is busy (429); try again in {wait} seconds.")
    if status >= 500:
        raise AstroUnreachable(f"Astro answered {status}; try again later.")
    if status == 204:
        return AstroAnswer(status, None, False)
    try:
        body = response.json()
    except ValueError as exc:
        raise AstroUnreachable(f"Astro's answer ({status}) was not JSON.") from exc
    if status >= 400:
        details = body if isinstance(body, dict) else {}
        message = str(details.get("message") or f"Astro refused the request ({status}).")
        fields = details.get("fields")
        if isinstance(fields, dict):
            unsaid = [f"{name}: {text}" for name, text in fields.items() if text not in message]
            message = " ".join([message, *unsaid])
        raise AstroRefused(status, str(details.get("code", "")), message)
    replayed = response.headers.get("Idempotent-Replayed") == "true"
    return AstroAnswer(status, body, replayed)
