"""The caller's address, as the login and API-key limits count it.

Behind a load balancer REMOTE_ADDR is the balancer's own address, which would put every store
in one bucket; TRUSTED_PROXY_COUNT says how many proxies of ours append to X-Forwarded-For, and
the address the first of them saw is the caller's. With none (the default) the header is
ignored, since a caller can write anything into it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """None when the request has no address at all (a login made in code, not over HTTP)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    # Each trusted proxy appended the address it saw; the rightmost `proxies` entries are
    # theirs to vouch for, and the one they appended first is the caller.
    return hops[-proxies] if len(hops) >= proxies else remote
