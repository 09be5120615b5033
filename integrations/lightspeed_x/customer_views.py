"""Linking the sale's X-Series customer to a pet owner (SPEC §4 step 3): Customer Lookup by the
customer's last name, Select, or Create New Astro Account prefilled from Lightspeed. Each ends
back on the sale's page, which records the sale for the owner just linked."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from loyalty.access import get_owner_for, retailer_required
from loyalty.errors import DomainError
from loyalty.forms.owners import PetOwnerForm
from loyalty.selectors import owners as selectors
from loyalty.services.owners import create_owner, link_pos_customer

from .connection import POS_SYSTEM
from .customers import owner_prefill, remembered_customer
from .views import location_for, sale_url


def _context(request: HttpRequest, token: str, sale_id: str):
    """(location, the remembered POS customer or None): None means start again from the sale."""
    location = location_for(request, token)
    return location, remembered_customer(request, location, sale_id)


@retailer_required
@require_http_methods(["GET"])
def lookup(request: HttpRequest, token: str, sale_id: str) -> HttpResponse:
    location, customer = _context(request, token, sale_id)
    if customer is None:  # a bookmarked or stale lookup
        return redirect(sale_url(location, sale_id))
    text = request.GET.get("q", customer["last_name"])
    context = {
        "location": location,
        "sale_id": sale_id,
        "customer": customer,
        "q": text,
        "owners": selectors.search_owners(retailer=location.retailer, text=text),
    }
    template = "lightspeed_x/lookup.html" + ("#results" if request.htmx else "")
    return render(request, template, context)


@retailer_required
@require_POST
def select_owner(request: HttpRequest, token: str, sale_id: str) -> HttpResponse:
    location, customer = _context(request, token, sale_id)
    if customer is not None:
        owner_id = request.POST.get("owner", "")
        owner = get_owner_for(request.user, int(owner_id) if owner_id.isdigit() else 0)
        _link(request, owner.merged_into or owner, customer["pos_customer_id"])
    return redirect(sale_url(location, sale_id))


@retailer_required
@require_http_methods(["GET", "POST"])
def new_owner(request: HttpRequest, token: str, sale_id: str) -> HttpResponse:
    location, customer = _context(request, token, sale_id)
    if customer is None:
        return redirect(sale_url(location, sale_id))
    form = PetOwnerForm(request.POST or None, initial=owner_prefill(customer))
    if request.method == "POST" and form.is_valid():
        owner = create_owner(
            retailer=location.retailer, form_data=form.cleaned_data, actor=request.user
        )
        _link(request, owner, customer["pos_customer_id"])
        return redirect(sale_url(location, sale_id))
    context = {"form": form, "location": location, "sale_id": sale_id, "customer": customer}
    return render(request, "lightspeed_x/new_owner.html", context)


def _link(request: HttpRequest, owner, customer_id: str) -> None:
    try:
        link_pos_customer(
            owner=owner, pos_system=POS_SYSTEM, pos_customer_id=customer_id, actor=request.user
        )
    except DomainError:
        # A second tab linked it a moment ago: the sale records for the owner it is linked to.
        messages.info(request, "This customer was already linked; showing the linked account.")
