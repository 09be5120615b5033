"""A store's Lightspeed connection: its API client, the OAuth code exchange, its services."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.base import PosAuthError, PosBadResponse, PosUnavailable
from loyalty.models import Location, Retailer, User
from loyalty.selectors.prepared import PreparedRead
from loyalty.services.audit import record_audit

from .client import TIMEOUT, LightspeedClient
from .models import LightspeedConnection
from .tokens import DbTokenStore

logger = logging.getLogger(__name__)

# The account id goes into every API path and a 32-character column.
_ACCOUNT_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class PosNotConnected(PosAuthError):
    """The retailer has no Lightspeed connection yet."""

    default_message = (
        "This store is not connected to Lightspeed yet. "
        "Ask an admin to connect it under Settings → Lightspeed."
    )


def client_for(retailer: Retailer) -> LightspeedClient:
    """The API client for the retailer's account; the caller closes it."""
    found = _CONNECTION.rows(retailer.pk)
    if not found:
        raise PosNotConnected()
    [(pk, account_id, api_base, auth_base)] = found
    return LightspeedClient(
        api_base=api_base,
        account_id=account_id,
        tokens=DbTokenStore(pk),
        client_id=settings.LIGHTSPEED_CLIENT_ID,
        client_secret=settings.LIGHTSPEED_CLIENT_SECRET,
        auth_base=auth_base,
    )


# Every button click reads the store's connection: its SQL is compiled once (SPEC §9).
_CONNECTION = PreparedRead(
    lambda retailer_id: (
        LightspeedConnection.objects.filter(retailer_id=retailer_id)
        .order_by("pk")
        .values_list("pk", "account_id", "api_base", "auth_base")[:1]
    )
)


@dataclass(frozen=True)
class ConnectionStatus:
    """What the connect screen may show about a connection: never the tokens."""

    account_id: str
    connected_at: datetime
    connected_by: str


def connection_status(retailer: Retailer) -> ConnectionStatus | None:
    row = (
        LightspeedConnection.objects.filter(retailer=retailer)
        .values_list("account_id", "connected_at", "connected_by__username")
        .first()
    )
    return ConnectionStatus(row[0], row[1], row[2] or "") if row else None


@transaction.atomic
def connect_account(
    *,
    retailer: Retailer,
    account_id: str,
    api_base: str,
    auth_base: str,
    access: str,
    refresh: str,
    expires_in: int,
    actor: User | None,
) -> LightspeedConnection:
    """Store (or replace) the retailer's connection after an admin authorised Astro."""
    previous = (
        LightspeedConnection.objects.filter(retailer=retailer)
        .values_list("account_id", flat=True)
        .first()
    )
    now = timezone.now()
    connection, _ = LightspeedConnection.objects.update_or_create(
        retailer=retailer,
        defaults={
            "account_id": account_id,
            "api_base": api_base.rstrip("/"),
            "auth_base": auth_base.rstrip("/"),
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": now + timedelta(seconds=expires_in),
            "connected_at": now,
            "connected_by": actor if actor and actor.pk else None,
        },
    )
    # The audit and the log name the account, never a token.
    record_audit(
        retailer=retailer,
        actor=actor,
        action="lightspeed.connected",
        target=connection,
        data={"account_id": account_id, "previous_account_id": previous, "api_base": api_base},
    )
    logger.info("Retailer %s connected Lightspeed account %s", retailer.pk, account_id)
    return connection


@transaction.atomic
def update_location_pos_settings(
    *, retailer: Retailer, values: dict[int, dict[str, str]], actor: User
) -> list[Location]:
    """Save each location's Lightspeed shop ID and return URL; returns the changed locations.

    `values` maps a location id to {"pos_shop_id", "pos_return_url"}; ids of another
    retailer's locations are ignored, so a tampered form cannot reach them.
    """
    changed = []
    locations = Location.objects.select_for_update().filter(retailer=retailer, pk__in=values)
    for location in locations:
        before = {name: getattr(location, name) for name in ("pos_shop_id", "pos_return_url")}
        after = {name: values[location.pk].get(name, value) for name, value in before.items()}
        if after == before:
            continue
        for name, value in after.items():
            setattr(location, name, value)
        location.save(update_fields=list(after))
        record_audit(
            retailer=retailer,
            actor=actor,
            action="lightspeed.location_settings_changed",
            target=location,
            data={"before": before, "after": after},
        )
        changed.append(location)
    return changed


# --- The OAuth authorization-code exchange (reference §2.1) --------------------------------
@dataclass(frozen=True)
class GrantedAccount:
    """What the code exchange gives; the tokens stay out of repr, so out of logs and tracebacks."""

    account_id: str
    access: str = field(repr=False)
    refresh: str = field(repr=False)
    expires_in: int = 0


def exchange_code(*, auth_base: str, api_base: str, code: str) -> GrantedAccount:
    """Trade the one-shot code for tokens and find the account they open.

    Real Lightspeed answers only the standard OAuth fields, so the account id comes from
    GET /API/V3/Account.json; the sandbox also puts "account_id" in the token answer.
    Raises PosAuthError (code refused), PosUnavailable or PosBadResponse.
    """
    form = {
        "grant_type": "authorization_code",
        "client_id": settings.LIGHTSPEED_CLIENT_ID,
        "client_secret": settings.LIGHTSPEED_CLIENT_SECRET,
        "code": code,
    }
    with httpx.Client(timeout=TIMEOUT, headers={"Accept": "application/json"}) as http:
        data = _call(http, "POST", f"{auth_base.rstrip('/')}/auth/oauth/token", data=form)
        access, refresh = data.get("access_token"), data.get("refresh_token")
        if not (isinstance(access, str) and access and isinstance(refresh, str) and refresh):
            raise PosBadResponse("Lightspeed's token answer has no access and refresh token.")
        account_id = str(data.get("account_id") or "") or _account_id(http, api_base, access)
    if not _ACCOUNT_ID.match(account_id):
        raise PosBadResponse("Lightspeed did not say which account was connected.")
    expires_in = str(data.get("expires_in", ""))
    return GrantedAccount(
        account_id, access, refresh, int(expires_in) if expires_in.isdigit() else 0
    )


def _account_id(http: httpx.Client, api_base: str, access: str) -> str:
    url = f"{api_base.rstrip('/')}/API/V3/Account.json"
    data = _call(http, "GET", url, headers={"Authorization": f"Bearer {access}"})
    accounts = data.get("Account")
    # R-Series: one element is an object, several a list (reference §2.7). A token normally
    # opens one account; with several, the first is the one the admin signed in to.
    if isinstance(accounts, list):
        accounts = accounts[0] if accounts else None
    return str(accounts.get("accountID") or "") if isinstance(accounts, dict) else ""


def _call(http: httpx.Client, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = http.request(method, url, **kwargs)
    except httpx.TransportError as exc:
        raise PosUnavailable(
            "Lightspeed could not be reached to finish connecting. Nothing was saved; "
            "try again in a minute."
        ) from exc
    if response.status_code in (400, 401, 403):
        # invalid_grant: the code was used, is wrong, or is older than its 60 seconds.
        raise PosAuthError(
            "Lightspeed did not accept this sign-in (the code may have expired). "
            "Press Connect to Lightspeed and try again."
        )
    if response.status_code >= 500 or response.status_code == 429:
        raise PosUnavailable()
    if not 200 <= response.status_code < 300:
        raise PosBadResponse(f"Lightspeed answered HTTP {response.status_code}.")
    try:
        data = response.json()
    except ValueError:
        raise PosBadResponse() from None
    if not isinstance(data, dict):
        raise PosBadResponse()
    return data
