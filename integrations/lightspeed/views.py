"""The Lightspeed button URL (SPEC §4 steps 1-3): fetch the sale, find the owner, import.

Everything about items and money comes from the Lightspeed API with the retailer's own token;
the URL only says which sale to fetch.
"""

from dataclasses import asdict
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from integrations.base import IntegrationError, PosCustomer, PosNotFound, PosSale
from loyalty.access import get_location_by_button_for, get_owner_for, retailer_required
from loyalty.contracts.registry import open_sale_source
from loyalty.errors import DomainError
from loyalty.forms.owners import PetOwnerForm
from loyalty.models import Location
from loyalty.selectors import owners as selectors
from loyalty.selectors.pos import find_link, location_for_shop
from loyalty.services.owners import create_owner, link_pos_customer
from loyalty.services.sales import record_pos_sale

from .pos import POS_SYSTEM
from .return_urls import return_url_for

# Lightspeed appends these to the button URL; any case is accepted, anything else ignored.
PARAMS = ("saleID", "customerID", "shopID", "employeeID")


def _params(request: HttpRequest) -> dict[str, str]:
    given = {key.lower(): value.strip() for key, value in request.GET.items()}
    given |= {key.lower(): value.strip() for key, value in request.POST.items()}
    return {name: given.get(name.lower(), "") for name in PARAMS}


def _button_url(location: Location, params: dict[str, str]) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    return f"{reverse('lightspeed_button', args=[location.button_token])}?{query}"


def _location(request: HttpRequest, token: str) -> Location:
    """The button's location; another store's button answers 404 like a missing one."""
    return get_location_by_button_for(request.user, token)


def _problem(request, location, params, title, message, status, retry=True) -> HttpResponse:
    context = {
        "title": title,
        "message": message,
        "retry_url": _button_url(location, params) if retry else "",
        "return_url": return_url_for(location, params["saleID"]) if params["saleID"] else "",
    }
    return render(request, "lightspeed/problem.html", context, status=status)


@retailer_required
def button(request: HttpRequest, token: str) -> HttpResponse:
    """The Astro Loyalty button on Lightspeed's Sale and Refund screens: gate, fetch the sale
    from Lightspeed, record it for the linked owner (or look the customer up first)."""
    location = _location(request, token)
    params = _params(request)
    if not params["saleID"].isdigit():
        return _problem(request, location, params, *NO_SALE_IN_LINK, status=400, retry=False)
    try:
        with open_sale_source(POS_SYSTEM, retailer=location.retailer) as source:
            sale = source.fetch_sale(params["saleID"])
    except IntegrationError as exc:
        status = 404 if isinstance(exc, PosNotFound) else 502
        return _problem(
            request, location, params, "Could not load the sale", exc.message, status=status
        )
    if refusal := _refusal(sale):
        return _problem(request, location, params, *refusal)
    location = location_for_shop(location, sale.shop_id)
    link = find_link(
        retailer=location.retailer,
        pos_system=POS_SYSTEM,
        pos_customer_id=sale.customer.pos_customer_id,
    )
    if link is None:
        return _to_lookup(request, location, token, params, sale.customer)
    result = record_pos_sale(
        owner=link.owner,
        location=location,
        pos_system=POS_SYSTEM,
        sale=sale,
        finalized=False,  # SPEC §4: the cashier confirms returns and finishes in Astro
        cashier=request.user,
        return_url=return_url_for(location, sale.sale_id),
    )
    return redirect("checkout", result.visit.pk)


NO_SALE_IN_LINK = (
    "No sale in this link",
    "This link has no Lightspeed sale number (saleID). Press the Astro Loyalty button on a sale "
    "in Lightspeed, or check the button's URL under Settings → Lightspeed.",
)


def _refusal(sale: PosSale) -> tuple | None:
    """(title, message, status, retry) when the sale cannot be recorded, else None."""
    if sale.is_voided:
        message = f"Sale {sale.sale_id} was voided in Lightspeed, so there is nothing to add."
        return ("This sale was voided", message, 409, False)
    if sale.customer is None:
        message = (
            "Add the customer to the sale in the POS, then press the Astro Loyalty button again."
        )
        return ("No customer on this sale", message, 409, True)
    return None


def _to_lookup(request, location: Location, token: str, params: dict, customer: PosCustomer):
    """Not linked yet: Customer Lookup, searching by the POS customer's last name (SPEC §4.3)."""
    _remember_customer(request, location, customer)
    params["customerID"] = customer.pos_customer_id
    query = urlencode({"q": customer.last_name, **params})
    return redirect(f"{reverse('lightspeed_lookup', args=[token])}?{query}")


def _session_key(location: Location, customer_id: str) -> str:
    return f"lightspeed-customer:{location.pk}:{customer_id}"


def _remember_customer(request: HttpRequest, location: Location, customer: PosCustomer) -> None:
    """The POS customer's details for the lookup and the prefilled new-owner form."""
    request.session[_session_key(location, customer.pos_customer_id)] = asdict(customer)


def _remembered(request: HttpRequest, location: Location, customer_id: str) -> dict | None:
    return request.session.get(_session_key(location, customer_id))


@retailer_required
def lookup(request: HttpRequest, token: str) -> HttpResponse:
    """Customer Lookup, searching by the POS customer's last name first (SPEC §4 step 3)."""
    location = _location(request, token)
    params = _params(request)
    customer = _remembered(request, location, params["customerID"])
    if customer is None:  # a bookmarked or stale lookup: start again from the sale
        return redirect(_button_url(location, params))
    text = request.GET.get("q", "")
    context = {
        "location": location,
        "params": params,
        "customer": customer,
        "q": text,
        "owners": selectors.search_owners(retailer=location.retailer, text=text),
    }
    template = "lightspeed/lookup.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@retailer_required
@require_POST
def select_owner(request: HttpRequest, token: str) -> HttpResponse:
    """Select: link the POS customer to this owner, then import the sale."""
    location = _location(request, token)
    params = _params(request)
    if _remembered(request, location, params["customerID"]) is None:
        return redirect(_button_url(location, params))
    owner_id = request.POST.get("owner", "")
    owner = get_owner_for(request.user, int(owner_id) if owner_id.isdigit() else 0)
    owner = owner.merged_into or owner  # a lookup page left open across a merge
    _link(request, owner, params["customerID"])
    return redirect(_button_url(location, params))


def _link(request: HttpRequest, owner, customer_id: str) -> None:
    try:
        link_pos_customer(
            owner=owner,
            pos_system=POS_SYSTEM,
            pos_customer_id=customer_id,
            actor=request.user,
        )
    except DomainError:
        # A second tab or a double click linked it a moment ago: the sale imports for the
        # owner it is linked to, which the checkout screen names.
        messages.info(request, "This customer was already linked; showing the linked account.")


@retailer_required
def new_owner(request: HttpRequest, token: str) -> HttpResponse:
    """Create New Astro Account prefilled from the POS; Save Pet Owner creates and links."""
    location = _location(request, token)
    params = _params(request)
    customer = _remembered(request, location, params["customerID"])
    if customer is None:
        return redirect(_button_url(location, params))
    if request.method == "POST":
        form = PetOwnerForm(request.POST)
        if form.is_valid():
            owner = create_owner(
                retailer=location.retailer, form_data=form.cleaned_data, actor=request.user
            )
            _link(request, owner, params["customerID"])
            return redirect(_button_url(location, params))
    else:
        form = PetOwnerForm(initial=_prefill(customer))
    context = {"form": form, "params": params, "location": location, "customer": customer}
    return render(request, "lightspeed/new_owner.html", context)


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
