"""A store's X-Series connection as the rest of the package reads it: its API client, whether it
is connected, the register's origin, the store a webhook key names, and the address rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings

from integrations.base import PosAuthError
from integrations.oauth_tokens import RowTokenStore
from loyalty.models import Retailer

from .client import XSeriesClient
from .models import XSeriesConnection

POS_SYSTEM = "lightspeed_x"
# A domain prefix becomes a host name ({prefix}.retail.lightspeed.app): one DNS label only, so
# nothing an admin types can point Astro's requests at another host.
DOMAIN_PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class PosNotConnected(PosAuthError):
    default_message = (
        "This store is not connected to Lightspeed X-Series yet. "
        "Ask an admin to connect it under Settings → X-Series."
    )


def client_for(retailer: Retailer) -> tuple[XSeriesClient, str]:
    """The API client for the retailer's store and its domain prefix; the caller closes it."""
    row = (
        XSeriesConnection.objects.filter(retailer=retailer)
        .values_list("pk", "api_base", "domain_prefix")
        .first()
    )
    if row is None:
        raise PosNotConnected()
    pk, api_base, prefix = row
    client = XSeriesClient(
        api_base=api_base,
        api_version=settings.LIGHTSPEED_X_API_VERSION,
        tokens=RowTokenStore(XSeriesConnection, pk),
        client_id=settings.LIGHTSPEED_X_CLIENT_ID,
        client_secret=settings.LIGHTSPEED_X_CLIENT_SECRET,
    )
    return client, prefix


@dataclass(frozen=True)
class ConnectionStatus:
    """What the settings screen may show of a connection: never a token."""

    domain_prefix: str
    api_base: str
    uses_personal_token: bool
    webhook_key: str
    connected_at: datetime
    connected_by: str


def connection_status(retailer: Retailer) -> ConnectionStatus | None:
    row = (
        XSeriesConnection.objects.filter(retailer=retailer)
        .values_list(
            "domain_prefix",
            "api_base",
            "uses_personal_token",
            "webhook_key",
            "connected_at",
            "connected_by__username",
        )
        .first()
    )
    return ConnectionStatus(*row[:5], row[5] or "") if row else None


def register_origin_for(retailer_id: int | None) -> str:
    """The origin of the retailer's register ("" when the store is not connected)."""
    if retailer_id is None:
        return ""
    origin = (
        XSeriesConnection.objects.filter(retailer_id=retailer_id)
        .values_list("register_origin", flat=True)
        .first()
    )
    return origin or ""


def retailer_for_webhook(key: str) -> Retailer | None:
    """The store whose sale.update webhook URL carries this secret key."""
    row = XSeriesConnection.objects.filter(webhook_key=key).select_related("retailer").first()
    return row.retailer if row else None


def store_addresses(domain_prefix: str, *, sandbox_base: str = "") -> tuple[str, str]:
    """(api_base, register_origin) of a store: Lightspeed's own host, or this site's sandbox."""
    if sandbox_base:
        parts = urlsplit(sandbox_base)
        return f"{sandbox_base.rstrip('/')}/{domain_prefix}", f"{parts.scheme}://{parts.netloc}"
    base = settings.LIGHTSPEED_X_STORE_URL.format(domain_prefix=domain_prefix).rstrip("/")
    parts = urlsplit(base)
    return base, f"{parts.scheme}://{parts.netloc}"
