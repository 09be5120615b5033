"""Settings → X-Series (admins only): connect the store (OAuth, or a personal token), each
location's outlet and Gateway URL, the webhook address, and turning the integration off."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from integrations.base import IntegrationError, PosAuthError
from loyalty.access import admin_required
from loyalty.errors import DomainError
from loyalty.selectors.staff import store_locations

from .connecting import (
    Grant,
    check_domain_prefix,
    connect_store,
    disconnect_store,
    exchange_code,
    outlets_with_token,
    save_location_outlets,
)
from .connection import client_for, connection_status, store_addresses
from .forms import PersonalTokenForm, outlet_forms, outlets_chosen

PAGE = "lightspeed_x/connection.html"
SESSION_KEY = "lightspeed_x_oauth_states"
MAX_PENDING = 5


def _outlets(retailer, *, connected: bool = True) -> tuple[list[tuple[str, str]], str]:
    """(id, name) of the store's outlets, and why they could not be read ("" when they were)."""
    if not connected:
        return [], ""
    try:
        client, _prefix = client_for(retailer)
        try:
            rows = client.list_outlets()
        finally:
            client.close()
    except IntegrationError as exc:
        return [], exc.message
    return [(str(o.get("id", "")), str(o.get("name") or o.get("id"))) for o in rows], ""


def _page(request: HttpRequest, *, token_form=None, data=None, status=200) -> HttpResponse:
    retailer = request.user.retailer
    locations = list(store_locations(retailer=retailer))
    connection = connection_status(retailer)
    outlets, outlets_problem = _outlets(retailer, connected=connection is not None)
    forms_ = outlet_forms(locations, outlets=outlets, data=data)
    webhook = reverse("lightspeed_x_webhook", args=[connection.webhook_key]) if connection else ""
    context = {
        "status": connection,
        "retailer": retailer,
        "token_form": token_form or PersonalTokenForm(sandbox_enabled=settings.POS_SANDBOX_ENABLED),
        "outlets_problem": outlets_problem,
        "rows": [
            {
                "location": location,
                "form": form,
                "gateway_url": request.build_absolute_uri(
                    reverse("lightspeed_x_gateway", args=[location.button_token])
                ),
            }
            for location, form in zip(locations, forms_, strict=True)
        ],
        "webhook_url": request.build_absolute_uri(webhook) if webhook else "",
        "sandbox_enabled": settings.POS_SANDBOX_ENABLED,
    }
    return render(request, PAGE, context, status=status)


@admin_required
@require_GET
def connection_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@admin_required
@require_POST
def save_outlets(request: HttpRequest) -> HttpResponse:
    retailer = request.user.retailer
    locations = list(store_locations(retailer=retailer))
    outlets, _problem = _outlets(retailer)
    forms_ = outlet_forms(locations, outlets=outlets, data=request.POST)
    chosen = outlets_chosen(locations, forms_)
    if chosen is None:
        return _page(request, data=request.POST, status=422)
    changed = save_location_outlets(retailer=retailer, outlets=chosen, actor=request.user)
    names = ", ".join(location.name for location in changed)
    messages.success(request, f"Saved {names}." if changed else "Nothing changed.")
    return redirect("lightspeed_x_connect")


@admin_required
@require_POST
def personal_token(request: HttpRequest) -> HttpResponse:
    """Connect with a personal token: Astro reads the store's outlets with it first."""
    form = PersonalTokenForm(request.POST, sandbox_enabled=settings.POS_SANDBOX_ENABLED)
    if not form.is_valid():
        return _page(request, token_form=form, status=422)
    prefix, token = form.cleaned_data["domain_prefix"], form.cleaned_data["token"]
    sandbox = _sandbox_base(request) if form.cleaned_data.get("sandbox") else ""
    api_base, origin = store_addresses(prefix, sandbox_base=sandbox)
    try:
        outlets_with_token(api_base=api_base, access=token)
        connect_store(
            retailer=request.user.retailer,
            grant=Grant(prefix, token),
            api_base=api_base,
            register_origin=origin,
            actor=request.user,
        )
    except (IntegrationError, DomainError) as exc:
        form.add_error(None, exc.message)
        return _page(request, token_form=form, status=422)
    messages.success(request, f"Connected to the X-Series store {prefix}.")
    return redirect("lightspeed_x_connect")


def _sandbox_base(request: HttpRequest) -> str:
    prefix = reverse("lightspeed_x_sandbox:connect").removesuffix("connect")
    return request.build_absolute_uri(prefix).rstrip("/")


@admin_required
@require_GET
def authorize(request: HttpRequest) -> HttpResponse:
    """Send the admin to Lightspeed's consent page; `state` ties the answer to this session."""
    if not settings.LIGHTSPEED_X_CLIENT_ID:
        message = (
            "Astro's Lightspeed X-Series app is not configured on this server yet, so no store "
            "can connect with OAuth. Connect with a personal token, or contact Astro support."
        )
        return _failed(request, message, status=503)
    sandbox = settings.POS_SANDBOX_ENABLED and request.GET.get("sandbox") == "1"
    state = secrets.token_urlsafe(32)
    pending = request.session.get(SESSION_KEY, {})
    pending[state] = {"sandbox": sandbox}
    request.session[SESSION_KEY] = dict(list(pending.items())[-MAX_PENDING:])
    connect_url = (
        request.build_absolute_uri(reverse("lightspeed_x_sandbox:connect"))
        if sandbox
        else settings.LIGHTSPEED_X_CONNECT_URL
    )
    query = {
        "response_type": "code",
        "client_id": settings.LIGHTSPEED_X_CLIENT_ID,
        "redirect_uri": request.build_absolute_uri(reverse("lightspeed_x_callback")),
        "state": state,
    }
    return redirect(f"{connect_url}?{urlencode(query)}")


def _pop_state(request: HttpRequest, state: str) -> dict | None:
    pending = request.session.get(SESSION_KEY, {})
    match = next((k for k in pending if secrets.compare_digest(k.encode(), state.encode())), None)
    if not state or match is None:
        return None
    found = pending.pop(match)
    request.session[SESSION_KEY] = pending  # a state answers once
    return found


def _failed(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    context = {"title": "Lightspeed X-Series did not connect", "message": message}
    return render(request, "lightspeed_x/connect_failed.html", context, status=status)


@admin_required
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Lightspeed sends the admin back with ?code=&domain_prefix=&state= (docs/authorization)."""
    pending = _pop_state(request, request.GET.get("state", ""))
    if pending is None:
        return _failed(request, STALE_SIGN_IN, status=400)
    code = request.GET.get("code", "")
    try:
        prefix = check_domain_prefix(request.GET.get("domain_prefix", ""))
    except DomainError:
        prefix = ""
    if request.GET.get("error") or not code or not prefix:
        return _failed(request, NOT_GRANTED, status=400)
    sandbox = _sandbox_base(request) if pending["sandbox"] else ""
    api_base, origin = store_addresses(prefix, sandbox_base=sandbox)
    redirect_uri = request.build_absolute_uri(reverse("lightspeed_x_callback"))
    try:
        grant = exchange_code(
            api_base=api_base, domain_prefix=prefix, code=code, redirect_uri=redirect_uri
        )
        connect_store(
            retailer=request.user.retailer,
            grant=grant,
            api_base=api_base,
            register_origin=origin,
            actor=request.user,
        )
    except (IntegrationError, DomainError) as exc:
        status = 400 if isinstance(exc, PosAuthError | DomainError) else 502
        return _failed(request, exc.message, status=status)
    messages.success(request, f"Connected to the X-Series store {prefix}.")
    return redirect("lightspeed_x_connect")


STALE_SIGN_IN = (
    "The sign-in has expired or belongs to another browser session, so nothing was saved. "
    "Press Connect to X-Series to start again."
)
NOT_GRANTED = (
    "Access was not granted in Lightspeed, so nothing was saved. Press Connect to X-Series "
    "and choose Approve to connect this store."
)


@admin_required
@require_POST
def disconnect(request: HttpRequest) -> HttpResponse:
    if disconnect_store(retailer=request.user.retailer, actor=request.user):
        messages.success(request, "Lightspeed X-Series is turned off for this store.")
    else:
        messages.info(request, "This store was not connected to Lightspeed X-Series.")
    return redirect("lightspeed_x_connect")
