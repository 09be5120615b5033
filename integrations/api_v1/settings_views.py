"""Settings → POS API (admins only): enable the API, issue and revoke each location's keys."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from loyalty.access import admin_required
from loyalty.contracts.registry import is_full_integration, pos_system_label
from loyalty.errors import DomainError
from loyalty.models import Retailer
from loyalty.selectors.staff import store_locations

from .credentials import disable_rest_integration, issue_key, revoke_key
from .forms import IssueKeyForm
from .queries import credentials_by_location, own_credential

PAGE = "api_v1/settings.html"


def _context(request: HttpRequest, retailer: Retailer | None = None, **extra) -> dict:
    retailer = retailer or request.user.retailer
    locations = list(store_locations(retailer=retailer))  # by name
    by_location = credentials_by_location(retailer=retailer, locations=locations)
    integration = retailer.pos_integration
    return {
        "retailer": retailer,
        "is_enabled": is_full_integration(integration),
        "integration_label": pos_system_label(integration),
        "other_integration": bool(integration) and not is_full_integration(integration),
        "rows": [{"location": loc, "credentials": by_location[loc.pk]} for loc in locations],
        "form": IssueKeyForm(retailer=retailer),
        **extra,
    }


@admin_required
@require_GET
def api_settings(request: HttpRequest) -> HttpResponse:
    return render(request, PAGE, _context(request))


@admin_required
@require_POST
def issue(request: HttpRequest) -> HttpResponse:
    """The key is in this one answer and nowhere else: it is never stored or put in a message."""
    retailer = request.user.retailer
    form = IssueKeyForm(request.POST, retailer=retailer)
    if not form.is_valid():
        return render(request, PAGE, _context(request, form=form), status=422)
    try:
        issued = issue_key(
            location=form.cleaned_data["location"],
            actor=request.user,
            pos_system=form.cleaned_data.get("pos_system", ""),
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(request, PAGE, _context(request, form=form), status=422)
    # The key's retailer is the one issue_key may have just switched the API on for.
    context = _context(request, retailer=issued.credential.retailer, issued=issued)
    response = render(request, PAGE, context)
    response["Cache-Control"] = "no-store"
    return response


@admin_required
@require_POST
def revoke(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = own_credential(request.user, credential_id)
    if revoke_key(credential=credential, actor=request.user):
        messages.success(
            request,
            f"Revoked the key of {credential.username}. The POS gets “not valid” from now on.",
        )
    else:
        messages.info(request, f"The key of {credential.username} was already revoked.")
    return redirect("api_settings")


@admin_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    try:
        revoked = disable_rest_integration(retailer=request.user.retailer, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"The POS API is turned off for this store; {revoked} key(s) revoked."
        )
    return redirect("api_settings")
