"""A store's Heartland Retail connection: its API client, connecting with a token, its services."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.base import PosAuthError
from loyalty.contracts.registry import pos_system_label
from loyalty.errors import DomainError
from loyalty.models import Location, Retailer, User
from loyalty.services.audit import record_audit

from . import fields
from .client import HeartlandClient
from .models import HeartlandConnection

logger = logging.getLogger(__name__)

POS_SYSTEM = "heartland"
# One DNS label: what goes before .retail.heartland.us (notes §1).
SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class PosNotConnected(PosAuthError):
    """The retailer has no Heartland Retail connection yet."""

    default_message = (
        "This store is not connected to Heartland Retail yet. "
        "Ask an admin to connect it under Settings → Heartland."
    )


def api_base_for(subdomain: str) -> str:
    """https://{subdomain}.retail.heartland.us/api (settings.HEARTLAND_API_BASE)."""
    return settings.HEARTLAND_API_BASE.format(subdomain=subdomain).rstrip("/")


def client_for(retailer: Retailer) -> tuple[HeartlandClient, str]:
    """(the API client, the account's subdomain) for the retailer; the caller closes it."""
    row = (
        HeartlandConnection.objects.filter(retailer=retailer)
        .values_list("api_base", "token", "subdomain")
        .first()
    )
    if row is None:
        raise PosNotConnected()
    api_base, token, subdomain = row
    return HeartlandClient(api_base=api_base, token=token), subdomain


def pos_base(retailer: Retailer) -> str:
    """The account's own site, where the register lives: the API base without its /api (the
    sandbox mirrors that layout), or "" when the store is not connected."""
    api_base = (
        HeartlandConnection.objects.filter(retailer=retailer)
        .values_list("api_base", flat=True)
        .first()
    )
    return api_base.removesuffix("/api") if api_base else ""


@dataclass(frozen=True)
class ConnectionStatus:
    """What the connection screen may show: never the token itself."""

    subdomain: str
    api_base: str
    token_hint: str
    connected_at: datetime
    connected_by: str


def connection_status(retailer: Retailer) -> ConnectionStatus | None:
    row = (
        HeartlandConnection.objects.filter(retailer=retailer)
        .values_list(
            "subdomain", "api_base", "token_hint", "connected_at", "connected_by__username"
        )
        .first()
    )
    return ConnectionStatus(*row[:4], row[4] or "") if row else None


@dataclass(frozen=True)
class HeartlandLocation:
    location_id: str
    name: str


def account_locations(*, api_base: str, token: str) -> list[HeartlandLocation]:
    """The account's stores, read with the token: a token that can read them is one that works.
    Raises an IntegrationError (a refused token is a PosAuthError)."""
    return _locations(HeartlandClient(api_base=api_base, token=token))


def connected_locations(retailer: Retailer) -> list[HeartlandLocation]:
    """The connected account's stores; raises an IntegrationError (PosNotConnected too)."""
    client, _subdomain = client_for(retailer)
    return _locations(client)


def _locations(client: HeartlandClient) -> list[HeartlandLocation]:
    try:
        rows = client.locations()
    finally:
        client.close()
    found = []
    for row in rows:
        location_id = fields.required_id(row, "id")
        found.append(HeartlandLocation(location_id, fields.text(row, "name") or location_id))
    return found


def check_one_integration(retailer: Retailer) -> None:
    """SPEC §1: one POS integration per retailer; Heartland may replace none but itself."""
    current = retailer.pos_integration
    if current and current != POS_SYSTEM:
        label = pos_system_label(current) or current
        raise DomainError(
            f"This store already uses the {label} integration, and a store can use one POS "
            f"integration at a time. Turn the {label} integration off first, then connect "
            "Heartland Retail."
        )


@transaction.atomic
def connect_account(
    *, retailer: Retailer, subdomain: str, api_base: str, token: str, actor: User | None
) -> HeartlandConnection:
    """Store (or replace) the connection and make Heartland the store's POS integration."""
    retailer = Retailer.objects.select_for_update().get(pk=retailer.pk)
    check_one_integration(retailer)
    previous = connection_status(retailer)
    connection, _ = HeartlandConnection.objects.update_or_create(
        retailer=retailer,
        defaults={
            "subdomain": subdomain,
            "api_base": api_base.rstrip("/"),
            "token": token,
            "token_hint": token[-4:],
            "connected_at": timezone.now(),
            "connected_by": actor if actor and actor.pk else None,
        },
    )
    if retailer.pos_integration != POS_SYSTEM:
        retailer.pos_integration = POS_SYSTEM
        retailer.save(update_fields=["pos_integration"])
    # The audit and the log name the account and the token's last characters, never the token.
    record_audit(
        retailer=retailer,
        actor=actor,
        action="heartland.connected",
        target=connection,
        data={
            "subdomain": subdomain,
            "api_base": api_base,
            "token_hint": token[-4:],
            "previous_subdomain": previous.subdomain if previous else None,
        },
    )
    logger.info("Retailer %s connected Heartland Retail account %s", retailer.pk, subdomain)
    return connection


@transaction.atomic
def disconnect_account(*, retailer: Retailer, actor: User | None) -> bool:
    """Forget the token and turn the integration off; False when it was not connected."""
    retailer = Retailer.objects.select_for_update().get(pk=retailer.pk)
    previous = connection_status(retailer)
    HeartlandConnection.objects.filter(retailer=retailer).delete()
    if retailer.pos_integration == POS_SYSTEM:
        retailer.pos_integration = ""
        retailer.save(update_fields=["pos_integration"])
    if previous is None:
        return False
    record_audit(
        retailer=retailer,
        actor=actor,
        action="heartland.disconnected",
        target=retailer,
        data={"subdomain": previous.subdomain},
    )
    return True


@transaction.atomic
def map_locations(*, retailer: Retailer, shops: dict[int, str], actor: User) -> list[Location]:
    """Set each Astro location's Heartland location id (its POS shop ID); the changed ones.

    `shops` maps an Astro location id to a Heartland location id or ""; another retailer's
    location ids are ignored, so a tampered form cannot reach them."""
    changed = []
    rows = Location.objects.select_for_update().filter(retailer=retailer, pk__in=list(shops))
    for location in rows:
        before, after = location.pos_shop_id, shops[location.pk]
        if before == after:
            continue
        location.pos_shop_id = after
        location.save(update_fields=["pos_shop_id"])
        record_audit(
            retailer=retailer,
            actor=actor,
            action="heartland.location_mapped",
            target=location,
            data={"before": before, "after": after},
        )
        changed.append(location)
    return changed
