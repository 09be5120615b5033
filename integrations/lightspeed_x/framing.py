"""Lets the store's X-Series register show Astro in its payment iframe, and nobody else.

Django's XFrameOptionsMiddleware answers every page with X-Frame-Options: DENY (clickjacking).
The register opens the Gateway URL in an iframe (docs/payments_api_getting_started), and the
cashier's whole Astro visit (login, lookup, checkout, Finish) then happens in that frame. For a
page the browser loads as a frame (Sec-Fetch-Dest: iframe), this middleware replaces the header
with a Content-Security-Policy frame-ancestors list: the retailer's own register origin for its
users, or Lightspeed's register hosts (settings.LIGHTSPEED_X_FRAME_ANCESTORS) before login. Any
other page, and any other store's user, keeps DENY. Listed right before XFrameOptionsMiddleware,
so it sees that middleware's header on the way out.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .connection import POS_SYSTEM, register_origin_for


class RegisterFramingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("Sec-Fetch-Dest") != "iframe":
            return response
        ancestors = _ancestors(request)
        if ancestors:
            allow_framing(response, ancestors)
        return response


def _ancestors(request: HttpRequest) -> list[str]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ["'self'", *settings.LIGHTSPEED_X_FRAME_ANCESTORS]
    retailer = user.retailer
    if retailer is None or retailer.pos_integration != POS_SYSTEM:
        return []
    origin = register_origin_for(retailer.pk)
    return ["'self'", origin] if origin else []


def allow_framing(response: HttpResponse, ancestors: list[str]) -> None:
    """Drop X-Frame-Options and put frame-ancestors in the response's CSP, keeping any other
    directive a CSP middleware set (browsers obey frame-ancestors over X-Frame-Options)."""
    if "X-Frame-Options" in response:
        del response["X-Frame-Options"]
    directives = [
        part.strip()
        for part in response.get("Content-Security-Policy", "").split(";")
        if part.strip() and not part.strip().lower().startswith("frame-ancestors")
    ]
    directives.append("frame-ancestors " + " ".join(ancestors))
    response["Content-Security-Policy"] = "; ".join(directives)
