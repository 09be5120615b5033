"""Customer Lookup, Select and Create New Astro Account for a Heartland customer (SPEC §4.3);
each comes back to the Astro Loyalty button, which then records the ticket."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from loyalty.access import get_location_by_button_for, get_owner_for, retailer_required
from loyalty.forms.owners import PetOwnerForm
from loyalty.selectors import owners as selectors
from loyalty.services.owners import create_owner

from .flow import button_url, link, params_of, remembered


@retailer_required
def lookup(request: HttpRequest, token: str) -> HttpResponse:
    """Customer Lookup, searching by the POS customer's last name first."""
    location = get_location_by_button_for(request.user, token)
    params = params_of(request)
    customer = remembered(request, location, params["customer_id"])
    if customer is None:  # a bookmarked or stale lookup: start again from the ticket
        return redirect(button_url(location, params))
    text = request.GET.get("q", "")
    context = {
        "location": location,
        "params": params,
        "customer": customer,
        "q": text,
        "owners": selectors.search_owners(retailer=location.retailer, text=text),
    }
    template = "heartland/lookup.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@retailer_required
@require_POST
def select_owner(request: HttpRequest, token: str) -> HttpResponse:
    """Select: link the Heartland customer to this owner, then import the ticket."""
    location = get_location_by_button_for(request.user, token)
    params = params_of(request)
    if remembered(request, location, params["customer_id"]) is None:
        return redirect(button_url(location, params))
    owner_id = request.POST.get("owner", "")
    owner = get_owner_for(request.user, int(owner_id) if owner_id.isdigit() else 0)
    owner = owner.merged_into or owner  # a lookup page left open across a merge
    link(request, owner, params["customer_id"])
    return redirect(button_url(location, params))


@retailer_required
def new_owner(request: HttpRequest, token: str) -> HttpResponse:
    """Create New Astro Account prefilled from Heartland; Save Pet Owner creates and links."""
    location = get_location_by_button_for(request.user, token)
    params = params_of(request)
    customer = remembered(request, location, params["customer_id"])
    if customer is None:
        return redirect(button_url(location, params))
    if request.method == "POST":
        form = PetOwnerForm(request.POST)
        if form.is_valid():
            owner = create_owner(
                retailer=location.retailer, form_data=form.cleaned_data, actor=request.user
            )
            link(request, owner, params["customer_id"])
            return redirect(button_url(location, params))
    else:
        form = PetOwnerForm(initial=_prefill(customer))
    context = {"form": form, "params": params, "location": location, "customer": customer}
    return render(request, "heartland/new_owner.html", context)


def _prefill(customer: dict) -> dict:
    return {
        "first_name": customer["first_name"],
        "last_name": customer["last_name"],
        "email": customer["email"],
        "phone": customer["phone"],
        "address_line": " ".join(filter(None, [customer["address1"], customer["address2"]])),
        "city": customer["city"],
        "state": customer["state"],
        "postal_code": customer["postal_code"],
    }
