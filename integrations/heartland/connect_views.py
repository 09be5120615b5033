"""Settings → Heartland (admins only): connect the account with an API token, map each location
to its Heartland location, and copy the UI extension URL into Heartland."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from integrations.base import IntegrationError, PosAuthError
from loyalty.access import admin_required
from loyalty.errors import DomainError
from loyalty.models import Retailer
from loyalty.selectors.staff import store_locations

from .connection import (
    HeartlandLocation,
    account_locations,
    api_base_for,
    check_one_integration,
    connect_account,
    connected_locations,
    connection_status,
    disconnect_account,
    map_locations,
)
from .forms import ConnectForm, LocationMapForm

PAGE = "heartland/connection.html"


def _sandbox(request: HttpRequest) -> str:
    """This site's Heartland sandbox API, which stands in for https://{subdomain}...us/api."""
    return request.build_absolute_uri(reverse("heartland_sandbox:api_root")).rstrip("/")


def _heartland_locations(retailer: Retailer) -> tuple[list[HeartlandLocation], str]:
    """The connected account's locations, or ([], why not) when Heartland cannot say."""
    try:
        return connected_locations(retailer), ""
    except IntegrationError as exc:
        return [], exc.message


def _context(request: HttpRequest, **extra) -> dict:
    retailer = request.user.retailer
    locations = list(store_locations(retailer=retailer))
    status = connection_status(retailer)
    heartland, problem = _heartland_locations(retailer) if status else ([], "")
    rows = [
        {
            "location": location,
            "extension_url": request.build_absolute_uri(
                reverse("heartland_extension", args=[location.button_token])
            ),
        }
        for location in locations
    ]
    context = {
        "status": status,
        "rows": rows,
        "connect_form": ConnectForm(
            initial={"subdomain": status.subdomain} if status else None,
            sandbox_enabled=settings.POS_SANDBOX_ENABLED,
        ),
        "map_form": LocationMapForm(locations=locations, heartland=heartland),
        "heartland_problem": problem,
    }
    return context | extra


@admin_required
@require_GET
def connection_page(request: HttpRequest) -> HttpResponse:
    return render(request, PAGE, _context(request))


@admin_required
@require_POST
def connect(request: HttpRequest) -> HttpResponse:
    """Check the token against Heartland, then store it: a token that cannot read the account's
    locations is refused here, not at the register."""
    retailer = request.user.retailer
    form = ConnectForm(request.POST, sandbox_enabled=settings.POS_SANDBOX_ENABLED)
    if not form.is_valid():
        return render(request, PAGE, _context(request, connect_form=form), status=422)
    subdomain, token = form.cleaned_data["subdomain"], form.cleaned_data["token"]
    use_sandbox = settings.POS_SANDBOX_ENABLED and form.cleaned_data.get("sandbox")
    api_base = _sandbox(request) if use_sandbox else api_base_for(subdomain)
    try:
        check_one_integration(retailer)
        found = account_locations(api_base=api_base, token=token)
        connect_account(
            retailer=retailer,
            subdomain=subdomain,
            api_base=api_base,
            token=token,
            actor=request.user,
        )
    except (DomainError, IntegrationError) as exc:
        form.add_error("token" if isinstance(exc, PosAuthError) else None, exc.message)
        return render(request, PAGE, _context(request, connect_form=form), status=422)
    count = len(found)
    messages.success(
        request,
        f"Connected to Heartland Retail ({subdomain}): {count} location{'s' * (count != 1)}. "
        "Now choose which Heartland location each of your locations is.",
    )
    return redirect("heartland_connect")


@admin_required
@require_POST
def save_locations(request: HttpRequest) -> HttpResponse:
    retailer = request.user.retailer
    locations = list(store_locations(retailer=retailer))
    heartland, problem = _heartland_locations(retailer)
    form = LocationMapForm(request.POST, locations=locations, heartland=heartland)
    if not form.is_valid():
        context = _context(request, map_form=form, heartland_problem=problem)
        return render(request, PAGE, context, status=422)
    changed = map_locations(retailer=retailer, shops=form.shops(), actor=request.user)
    names = ", ".join(location.name for location in changed)
    messages.success(request, f"Saved {names}." if changed else "Nothing changed.")
    return redirect("heartland_connect")


@admin_required
@require_POST
def disconnect(request: HttpRequest) -> HttpResponse:
    if disconnect_account(retailer=request.user.retailer, actor=request.user):
        messages.success(
            request,
            "Disconnected from Heartland Retail. Astro forgot the API token; delete it in "
            "Heartland too (My Account → API Tokens).",
        )
    else:
        messages.info(request, "This store was not connected to Heartland Retail.")
    return redirect("heartland_connect")
