"""The Heartland Retail UI extension and its Astro Loyalty button (SPEC §4 steps 1-3).

The POS shows the extension, a strip of Astro's, on the ticket screen; its button sends the
register's window to the button URL, which reads the ticket from the Heartland API with the
store's own token. The URL only says which ticket to read and where to return (notes §7).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from integrations.base import IntegrationError, PosCustomer, PosNotFound, PosSale
from loyalty.access import get_location_by_button_for, retailer_required
from loyalty.contracts.registry import open_sale_source
from loyalty.models import Location
from loyalty.selectors.pos import find_link, location_for_shop
from loyalty.services.sales import record_pos_sale

from .connection import POS_SYSTEM
from .flow import MAX_POS_URL, params_of, problem, remember_customer
from .return_urls import return_url_for


@require_GET
@xframe_options_exempt  # framed by the POS; frame-ancestors below says by whom
def extension(request: HttpRequest, token: str) -> HttpResponse:
    """The UI extension the POS loads with ?ticket_id=&customer_id=&account_uuid=&subdomain=
    &pos_url= (notes §7). No login here: it holds nothing but a link to the button URL, which
    asks for one in a top-level window, where the login cookie works on an iPad too."""
    ticket_id = request.GET.get("ticket_id", "").strip()
    pos_url = request.GET.get("pos_url", "").strip()
    astro_url = ""
    if ticket_id.isdigit():
        query = {"ticket_id": ticket_id}
        if pos_url and len(pos_url) <= MAX_POS_URL:
            query["pos_url"] = pos_url
        path = reverse("heartland_button", args=[token])
        astro_url = request.build_absolute_uri(f"{path}?{urlencode(query)}")
    response = render(
        request, "heartland/extension.html", {"astro_url": astro_url, "ticket_id": ticket_id}
    )
    ancestors = list(settings.HEARTLAND_FRAME_ANCESTORS)
    if settings.POS_SANDBOX_ENABLED:
        ancestors.append("'self'")  # the sandbox register is served by this site
    # django-csp keeps the site's strict policy and swaps in this page's own framers.
    response._csp_replace = {"frame-ancestors": ancestors}  # type: ignore[attr-defined]
    return response


@retailer_required
@require_GET
def button(request: HttpRequest, token: str) -> HttpResponse:
    """Astro Loyalty, pressed on a ticket: gate, read the ticket from Heartland, record it for
    the linked owner (or look the customer up first)."""
    location = get_location_by_button_for(request.user, token)
    params = params_of(request)
    if not params["ticket_id"].isdigit():
        return problem(request, location, params, *NO_TICKET, status=400, retry=False)
    try:
        with open_sale_source(POS_SYSTEM, retailer=location.retailer) as source:
            sale = source.fetch_sale(params["ticket_id"])
    except PosNotFound:
        return problem(request, location, params, *NOT_SAVED, status=404)
    except IntegrationError as exc:
        title = "Could not load the ticket"
        return problem(request, location, params, title, exc.message, status=502)
    if refusal := _refusal(sale):
        title, message, status, retry = refusal
        return problem(request, location, params, title, message, status=status, retry=retry)
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
        return_url=return_url_for(location, params["pos_url"]),
    )
    return redirect("checkout", result.visit.pk)


NO_TICKET = (
    "No ticket in this link",
    "This link names no Heartland Retail ticket. Press Astro Loyalty on a ticket in the "
    "Heartland POS; the strip shows it once the ticket has an item or a customer.",
)


# Heartland's API does not confirm the ticket: nothing is recorded (the URL is no proof). The
# ticket's id is not shown: the register shows its number (public_id), which the URL lacks.
NOT_SAVED = (
    "Heartland has not saved this ticket",
    "Heartland Retail does not have this ticket for this store, so nothing was added. If the "
    "register is still saving it, wait a moment and press Retry.",
)


def _refusal(sale: PosSale) -> tuple[str, str, int, bool] | None:
    """(title, message, status, retry) when the ticket cannot be recorded, else None."""
    if sale.is_voided:
        message = "This ticket was voided in Heartland Retail, so there is nothing to add."
        return ("This ticket was voided", message, 409, False)
    if sale.customer is None:
        message = (
            "Add the customer to the ticket in Heartland Retail, then press Astro Loyalty again."
        )
        return ("No customer on this ticket", message, 409, True)
    return None


def _to_lookup(request, location: Location, token: str, params: dict, customer: PosCustomer):
    """Not linked yet: Customer Lookup, searching by the POS customer's last name (SPEC §4.3).
    The ticket embeds the customer without the phone, which lives on addresses (notes §5)."""
    full = _full_customer(location, customer)
    remember_customer(request, location, full)
    params["customer_id"] = full.pos_customer_id
    query = urlencode({"q": full.last_name, **{k: v for k, v in params.items() if v}})
    return redirect(f"{reverse('heartland_lookup', args=[token])}?{query}")


def _full_customer(location: Location, customer: PosCustomer) -> PosCustomer:
    try:
        with open_sale_source(POS_SYSTEM, retailer=location.retailer) as source:
            found = source.fetch_customer(customer.pos_customer_id)
    except IntegrationError:
        found = None  # the lookup still works with what the ticket said
    return found if found and found.pos_customer_id == customer.pos_customer_id else customer
