"""Settings → POS API (admins only): enable the API, issue and revoke each location's keys."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from loyalty.access import admin_required, get_own
from loyalty.errors import DomainError
from loyalty.models import Location
from loyalty.models.tenancy import PosSystem

from .credentials import REST_SYSTEMS, disable_rest_integration, issue_key, revoke_key
from .forms import IssueKeyForm
from .models import ApiCredential

PAGE = "api_v1/settings.html"


def _context(request: HttpRequest, **extra) -> dict:
    retailer = request.user.retailer
    locations = list(Location.objects.filter(retailer=retailer).order_by("name"))
    credentials = ApiCredential.objects.filter(retailer=retailer).select_related("created_by")
    by_location: dict[int, list[ApiCredential]] = {loc.pk: [] for loc in locations}
    for credential in credentials:
        by_location[credential.location_id].append(credential)
    integration = retailer.pos_integration
    return {
        "retailer": retailer,
        "is_enabled": integration in REST_SYSTEMS,
        "integration_label": PosSystem(integration).label if integration else "",
        "other_integration": bool(integration) and integration not in REST_SYSTEMS,
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
    retailer.refresh_from_db(fields=["pos_integration"])
    response = render(request, PAGE, _context(request, issued=issued))
    response["Cache-Control"] = "no-store"
    return response


@admin_required
@require_POST
def revoke(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = get_own(
        ApiCredential.objects.select_related("location", "retailer"), request.user, pk=credential_id
    )
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
