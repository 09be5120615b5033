"""Where Finished sends the cashier back into Lightspeed, and which addresses may be used."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

from loyalty.models import Location, Retailer

from .models import LightspeedConnection

# R-Series has no documented return URL; the register page of the retailer's web host shows the
# open sale again (reference §1.3).
DEFAULT_RETURN_URL = "https://us.merchantos.com/?name=register"

# Plain ASCII DNS labels only: no percent-escapes, no IDN look-alikes, no empty labels.
_HOSTNAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")
_LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _normal_host(host: str) -> str:
    return host.strip().lower().strip(".")


def _host_matches(host: str, allowed: Iterable[str]) -> bool:
    """The host is one of `allowed` or a subdomain of one (never a look-alike suffix)."""
    for entry in map(_normal_host, allowed):
        if entry and (host == entry or host.endswith("." + entry)):
            return True
    return False


def is_allowed_return_url(url: str, *, extra_hosts: Iterable[str] = ()) -> bool:
    """True when sending a cashier to `url` cannot become an open redirect.

    https on LIGHTSPEED_RETURN_HOSTS (or extra_hosts) and their subdomains; plain http only for a
    loopback host while the sandbox is on. Anything a browser might read differently from
    urlsplit (backslashes, whitespace, userinfo, escapes in the host) is refused outright.
    """
    if not url or "\\" in url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    # "https://lightspeedapp.com@evil.com" names evil.com: no userinfo at all.
    if not parts.netloc or "@" in parts.netloc or parts.hostname is None:
        return False
    host = parts.hostname.rstrip(".")
    is_ip = _is_ip(host)
    if not (is_ip or host in _LOOPBACK_NAMES or _HOSTNAME.match(host)):
        return False
    scheme = parts.scheme.lower()
    if scheme != "https" and not (
        scheme == "http" and settings.POS_SANDBOX_ENABLED and _is_loopback(host)
    ):
        return False
    return _host_matches(host, [*settings.LIGHTSPEED_RETURN_HOSTS, *extra_hosts])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def allowed_hosts_for(retailer: Retailer) -> list[str]:
    """The hosts a retailer's return URLs may point at (the sandbox's own host in the demo)."""
    hosts = [_normal_host(host) for host in settings.LIGHTSPEED_RETURN_HOSTS]
    if settings.POS_SANDBOX_ENABLED:
        api_base = (
            LightspeedConnection.objects.filter(retailer=retailer)
            .values_list("api_base", flat=True)
            .first()
        )
        sandbox_host = urlsplit(api_base or "").hostname
        if sandbox_host and sandbox_host not in hosts:
            hosts.append(sandbox_host)
    return hosts


def return_url_for(location: Location, sale_id: str) -> str:
    """The location's return URL with saleID added; the default when it is blank or refused.

    Checked again here, not only when saved: settings can change after a URL was stored, and a
    bad host must never become a redirect.
    """
    url = location.pos_return_url
    if not url or not is_allowed_return_url(url, extra_hosts=allowed_hosts_for(location.retailer)):
        url = DEFAULT_RETURN_URL
    if not sale_id:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "saleID"]
    query.append(("saleID", str(sale_id)))
    return urlunsplit(parts._replace(query=urlencode(query)))
