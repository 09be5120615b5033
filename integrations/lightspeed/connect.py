"""Settings → Lightspeed (admins only): connect the account over OAuth, set up each location."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from integrations.base import IntegrationError, PosAuthError
from loyalty.access import admin_required
from loyalty.selectors.staff import store_locations

from .connection import (
    connect_account,
    connection_status,
    exchange_code,
    update_location_pos_settings,
)
from .forms import all_valid, location_forms
from .return_urls import allowed_hosts_for

# What the button flow needs: read the sale and its customer (reference §2.1 scopes).
SCOPE = "employee:register employee:customers"
# Pending sign-ins per session, so a second tab does not break the first one's state.
SESSION_KEY = "lightspeed_oauth_states"
MAX_PENDING = 5


@admin_required
@require_http_methods(["GET", "POST"])
def connection_page(request: HttpRequest) -> HttpResponse:
    retailer = request.user.retailer
    locations = list(store_locations(retailer=retailer))
    allowed_hosts = allowed_hosts_for(retailer)
    data = request.POST if request.method == "POST" else None
    forms = location_forms(locations, allowed_hosts=allowed_hosts, data=data)
    if data is not None and all_valid(forms):
        values = {loc.pk: form.cleaned_data for loc, form in zip(locations, forms, strict=True)}
        changed = update_location_pos_settings(retailer=retailer, values=values, actor=request.user)
        names = ", ".join(location.name for location in changed)
        messages.success(request, f"Saved {names}." if changed else "Nothing changed.")
        return redirect("lightspeed_connect")
    rows = [
        {
            "location": location,
            "form": form,
            "button_url": request.build_absolute_uri(
                reverse("lightspeed_button", args=[location.button_token])
            ),
        }
        for location, form in zip(locations, forms, strict=True)
    ]
    context = {
        "status": connection_status(retailer),
        "rows": rows,
        "sandbox_enabled": settings.POS_SANDBOX_ENABLED,
    }
    return render(request, "lightspeed/connection.html", context)


def _bases(request: HttpRequest, *, sandbox: bool) -> tuple[str, str]:
    """(auth_base, api_base): Lightspeed's, or this site's own sandbox, which serves both."""
    if sandbox and settings.POS_SANDBOX_ENABLED:
        prefix = reverse("lightspeed_sandbox:token").removesuffix("auth/oauth/token")
        base = request.build_absolute_uri(prefix).rstrip("/")
        return base, base
    return settings.LIGHTSPEED_AUTH_BASE.rstrip("/"), settings.LIGHTSPEED_API_BASE.rstrip("/")


@admin_required
@require_GET
def authorize(request: HttpRequest) -> HttpResponse:
    """Send the admin to Lightspeed's consent page; `state` ties the answer to this session."""
    if not settings.LIGHTSPEED_CLIENT_ID:
        # Production reads the client registration from the environment; without it Lightspeed
        # would only show its own unhelpful error.
        return _failed(
            request,
            "Lightspeed is not set up on this server",
            "Astro's Lightspeed client is not configured yet, so no store can connect. "
            "Contact Astro support.",
            status=503,
        )
    sandbox = settings.POS_SANDBOX_ENABLED and request.GET.get("sandbox") == "1"
    state = secrets.token_urlsafe(32)
    pending = request.session.get(SESSION_KEY, {})
    pending[state] = {"sandbox": sandbox}
    request.session[SESSION_KEY] = dict(list(pending.items())[-MAX_PENDING:])
    auth_base, _ = _bases(request, sandbox=sandbox)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.LIGHTSPEED_CLIENT_ID,
            "scope": SCOPE,
            "state": state,
        },
        safe=":",  # Lightspeed's documented form: scope=employee:register+employee:customers
    )
    return redirect(f"{auth_base}/auth/oauth/authorize?{query}")


def _failed(request: HttpRequest, title: str, message: str, *, status: int) -> HttpResponse:
    context = {"title": title, "message": message}
    return render(request, "lightspeed/connect_failed.html", context, status=status)


def _pop_state(request: HttpRequest, state: str) -> dict | None:
    pending = request.session.get(SESSION_KEY, {})
    given = state.encode()
    match = next((key for key in pending if secrets.compare_digest(key.encode(), given)), None)
    if not state or match is None:
        return None
    found = pending.pop(match)
    request.session[SESSION_KEY] = pending  # a state answers once
    return found


@admin_required
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Lightspeed sends the admin back here with ?code=&state= (reference §2.1)."""
    pending = _pop_state(request, request.GET.get("state", ""))
    if pending is None:
        # Not started from this session: a stale tab, or someone else's link. Store nothing.
        return _failed(
            request,
            "This Lightspeed sign-in was not started here",
            "The sign-in has expired or belongs to another browser session, so nothing was "
            "saved. Press Connect to Lightspeed to start again.",
            status=400,
        )
    code = request.GET.get("code", "")
    if request.GET.get("error") or not code:
        return _failed(
            request,
            "Lightspeed did not connect",
            "Access was not granted in Lightspeed, so nothing was saved. Press Connect to "
            "Lightspeed and choose Approve to connect this store.",
            status=400,
        )
    auth_base, api_base = _bases(request, sandbox=pending["sandbox"])
    try:
        granted = exchange_code(auth_base=auth_base, api_base=api_base, code=code)
    except IntegrationError as exc:
        status = 400 if isinstance(exc, PosAuthError) else 502
        return _failed(request, "Lightspeed did not connect", exc.message, status=status)
    connect_account(
        retailer=request.user.retailer,
        account_id=granted.account_id,
        api_base=api_base,
        auth_base=auth_base,
        access=granted.access,
        refresh=granted.refresh,
        expires_in=granted.expires_in,
        actor=request.user,
    )
    messages.success(request, f"Connected to Lightspeed account {granted.account_id}.")
    return redirect("lightspeed_connect")
