"""Connecting a store to X-Series and turning it off: the OAuth code exchange, a personal token's
check, the connection row, one POS integration per retailer (SPEC §1), each location's outlet."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.base import PosAuthError, PosBadResponse, PosUnavailable
from integrations.oauth_tokens import InMemoryTokenStore
from loyalty.contracts.registry import pos_system_label
from loyalty.errors import DomainError
from loyalty.models import Location, Retailer, User
from loyalty.services.audit import record_audit

from .client import TIMEOUT, XSeriesClient, checked, token_answer
from .connection import DOMAIN_PREFIX, POS_SYSTEM
from .models import XSeriesConnection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Grant:
    """Tokens for one store; kept out of repr, so out of logs and tracebacks."""

    domain_prefix: str
    access: str = field(repr=False)
    refresh: str = field(default="", repr=False)
    expires_in: int = 0


def check_domain_prefix(value: str) -> str:
    prefix = value.strip().lower().removesuffix(".retail.lightspeed.app")
    if not DOMAIN_PREFIX.match(prefix):
        raise DomainError(
            "Enter the store's domain prefix: the first part of its address, e.g. mystore for "
            "mystore.retail.lightspeed.app."
        )
    return prefix


def exchange_code(*, api_base: str, domain_prefix: str, code: str, redirect_uri: str) -> Grant:
    """Trade the one-shot code for the store's tokens (docs/authorization: POST to the store's
    /api/1.0/token with the code, client id and secret, and the same redirect_uri)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": settings.LIGHTSPEED_X_CLIENT_ID,
        "client_secret": settings.LIGHTSPEED_X_CLIENT_SECRET,
        "redirect_uri": redirect_uri,
    }
    try:
        with httpx.Client(timeout=TIMEOUT, headers={"Accept": "application/json"}) as http:
            response = http.post(f"{api_base}/api/1.0/token", data=form)
    except httpx.TransportError as exc:
        raise PosUnavailable(
            "Lightspeed X-Series could not be reached to finish connecting. Nothing was saved; "
            "try again in a minute."
        ) from exc
    if response.status_code in (400, 401, 403):
        raise PosAuthError(
            "Lightspeed X-Series did not accept this sign-in (the code may have expired). "
            "Press Connect to X-Series and try again."
        )
    try:
        data = token_answer(checked(response).json())
    except ValueError:
        raise PosBadResponse() from None
    # The token answer names the store; it must be the one the callback named.
    if str(data.get("domain_prefix") or domain_prefix).lower() != domain_prefix:
        raise PosBadResponse("Lightspeed X-Series answered for another store than the sign-in.")
    return Grant(domain_prefix, data["access_token"], data["refresh_token"], data["expires_in"])


def outlets_with_token(*, api_base: str, access: str) -> list[dict[str, Any]]:
    """The store's outlets, read with a personal token: proves the token works before saving."""
    client = XSeriesClient(
        api_base=api_base,
        api_version=settings.LIGHTSPEED_X_API_VERSION,
        tokens=InMemoryTokenStore(access),
        client_id="",
        client_secret="",
    )
    try:
        return client.list_outlets()
    except PosAuthError as exc:
        raise PosAuthError(
            "Lightspeed X-Series did not accept this token. Copy a personal token from Setup → "
            "Personal Tokens in Lightspeed and try again."
        ) from exc
    finally:
        client.close()


@transaction.atomic
def connect_store(
    *, retailer: Retailer, grant: Grant, api_base: str, register_origin: str, actor: User | None
) -> XSeriesConnection:
    """Store (or replace) the connection and turn X-Series on for the retailer."""
    retailer = Retailer.objects.select_for_update().get(pk=retailer.pk)
    current = retailer.pos_integration
    if current and current != POS_SYSTEM:
        label = pos_system_label(current)
        raise DomainError(
            f"This store already uses the {label} integration, and a store can use one POS "
            f"integration at a time. Turn the {label} integration off first."
        )
    now = timezone.now()
    connection, _ = XSeriesConnection.objects.update_or_create(
        retailer=retailer,
        defaults={
            "domain_prefix": grant.domain_prefix,
            "api_base": api_base.rstrip("/"),
            "register_origin": register_origin,
            "uses_personal_token": not grant.refresh,
            "access_token": grant.access,
            "refresh_token": grant.refresh,
            "expires_at": now + timedelta(seconds=grant.expires_in) if grant.expires_in else None,
            "connected_at": now,
            "connected_by": actor if actor and actor.pk else None,
        },
    )
    if current != POS_SYSTEM:
        retailer.pos_integration = POS_SYSTEM
        retailer.save(update_fields=["pos_integration"])
    record_audit(
        retailer=retailer,
        actor=actor,
        action="lightspeed_x.connected",
        target=connection,
        data={"domain_prefix": grant.domain_prefix, "personal_token": not grant.refresh},
    )
    logger.info("Retailer %s connected X-Series store %s", retailer.pk, grant.domain_prefix)
    return connection


@transaction.atomic
def disconnect_store(*, retailer: Retailer, actor: User) -> bool:
    """Forget the tokens and turn the integration off; False when it was not connected."""
    deleted, _ = XSeriesConnection.objects.filter(retailer=retailer).delete()
    if retailer.pos_integration == POS_SYSTEM:
        retailer.pos_integration = ""
        retailer.save(update_fields=["pos_integration"])
    if deleted:
        record_audit(
            retailer=retailer, actor=actor, action="lightspeed_x.disconnected", target=retailer
        )
    return bool(deleted)


@transaction.atomic
def save_location_outlets(
    *, retailer: Retailer, outlets: dict[int, str], actor: User
) -> list[Location]:
    """Each location's X-Series outlet id (Location.pos_shop_id); another store's location ids
    in a tampered form are ignored. Returns the locations that changed."""
    changed = []
    for location in Location.objects.select_for_update().filter(retailer=retailer, pk__in=outlets):
        outlet = outlets[location.pk]
        if outlet == location.pos_shop_id:
            continue
        before, location.pos_shop_id = location.pos_shop_id, outlet
        location.save(update_fields=["pos_shop_id"])
        record_audit(
            retailer=retailer,
            actor=actor,
            action="lightspeed_x.location_outlet_changed",
            target=location,
            data={"before": before, "after": outlet},
        )
        changed.append(location)
    return changed
