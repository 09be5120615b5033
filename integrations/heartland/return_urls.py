"""Where Finished sends the cashier back into Heartland Retail, and which addresses may be used.

The POS hands the UI extension a `pos_url` (notes §7); it arrives in a URL anyone could edit, so
it is followed only when it points at the store's own Heartland site. A location's Return to POS
URL, set by an admin, may name any host under HEARTLAND_RETURN_HOSTS.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit

from django.conf import settings

from loyalty.models import Location, Retailer

from .connection import pos_base

# Plain ASCII DNS labels only: no percent-escapes, no IDN look-alikes, no empty labels.
_HOSTNAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")


def _parts(url: str) -> SplitResult | None:
    """The URL split, or None for anything a browser might read differently from urlsplit
    (backslashes, whitespace, userinfo, a port that is not a number, escapes in the host)."""
    if not url or "\\" in url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if not parts.netloc or "@" in parts.netloc or parts.hostname is None:
        return None
    host = parts.hostname.rstrip(".")
    if not (_is_ip(host) or _HOSTNAME.match(host)):
        return None
    return parts


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _scheme_ok(parts: SplitResult) -> bool:
    """https; plain http only for a loopback host while the sandbox is on (the demo)."""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    return scheme == "https" or (
        scheme == "http" and settings.POS_SANDBOX_ENABLED and _is_loopback(host)
    )


def _origin(parts: SplitResult) -> tuple[str, str, int | None]:
    return parts.scheme.lower(), (parts.hostname or "").rstrip("."), parts.port


def is_store_pos_url(url: str, *, store_base: str) -> bool:
    """True when `url` is on the store's own Heartland site (same scheme, host and port)."""
    parts, base = _parts(url), _parts(store_base)
    return bool(parts and base and _scheme_ok(parts) and _origin(parts) == _origin(base))


def _host_under(host: str, allowed: Iterable[str]) -> bool:
    for entry in (name.strip().lower().strip(".") for name in allowed):
        if entry and (host == entry or host.endswith("." + entry)):
            return True
    return False


def return_url_problem(url: str, *, retailer: Retailer) -> str:
    """Why `url` may not be a location's Return to POS URL, or "" when it may."""
    store_base = pos_base(retailer)
    if store_base and is_store_pos_url(url, store_base=store_base):
        return ""
    parts = _parts(url)
    hosts = list(settings.HEARTLAND_RETURN_HOSTS)
    if parts and _scheme_ok(parts) and _host_under(_origin(parts)[1], hosts):
        return ""
    return (
        "Use an https:// address of your Heartland Retail site, such as "
        f"https://yourstore.{hosts[0] if hosts else 'retail.heartland.us'}/pos."
    )


def return_url_for(location: Location, pos_url: str) -> str:
    """Where Finished goes: the POS's own pos_url when it is the store's site, else the
    location's Return to POS URL when it is still allowed, else the store's register.

    Checked here, not only when saved: settings can change after a URL was stored, and a bad
    host must never become a redirect."""
    store_base = pos_base(location.retailer)
    if store_base and is_store_pos_url(pos_url, store_base=store_base):
        return pos_url
    saved = location.pos_return_url
    if saved and not return_url_problem(saved, retailer=location.retailer):
        return saved
    # Heartland's register is /pos on the store's site (notes §7).
    return f"{store_base}/pos/" if store_base else ""
