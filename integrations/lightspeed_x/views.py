"""The Astro Loyalty payment type on the X-Series Sell screen (SPEC §4 steps 1-3).

The register opens the Gateway URL in an iframe when the cashier presses Pay → Astro Loyalty
(docs/payments_api_getting_started). The page asks the register for the sale with the DATA step
and posts what it gets here; Astro keeps only the sale's id from it and fetches the sale itself
from the X-Series API with the store's token. Punches come from the API's copy alone.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from integrations.base import IntegrationError, PosBadResponse, PosNotFound, PosSale
from loyalty.access import get_location_by_button_for, retailer_required
from loyalty.contracts.registry import open_sale_source
from loyalty.models import Location
from loyalty.selectors.pos import find_link, location_for_shop
from loyalty.services.sales import record_pos_sale

from .connection import POS_SYSTEM, register_origin_for
from .customers import remember_customer, remember_preview, remembered_preview
from .payments import register_sale_preview
from .pos import done_url
from .shapes import UUID
from .waiting import mark_recorded, note_waiting_sale

# The waiting page asks the API again every few seconds, this many times, then stops.
WAIT_SECONDS, WAIT_CHECKS = 4, 8


def location_for(request: HttpRequest, token: str) -> Location:
    """The payment type's location; another store's Gateway URL answers 404 like a missing one."""
    return get_location_by_button_for(request.user, token)


def sale_url(location: Location, sale_id: str) -> str:
    return reverse("lightspeed_x_sale", args=[location.button_token, sale_id])


def problem(request, location, title, message, *, status, retry_url="") -> HttpResponse:
    context = {
        "title": title,
        "message": message,
        "retry_url": retry_url,
        "register_origin": register_origin_for(location.retailer_id),
    }
    return render(request, "lightspeed_x/problem.html", context, status=status)


def not_turned_on(request: HttpRequest, location: Location) -> HttpResponse | None:
    """SPEC §1: one POS integration per store; this page only works for an X-Series store."""
    if location.retailer.pos_integration == POS_SYSTEM:
        return None
    return problem(
        request,
        location,
        "Lightspeed X-Series is not turned on",
        "This store does not use the Lightspeed X-Series integration. An admin turns it on "
        "under Settings → X-Series.",
        status=409,
    )


@retailer_required
@require_GET
def gateway(request: HttpRequest, token: str) -> HttpResponse:
    """The Gateway URL: asks the register for the sale (static/js/lightspeed_x_payment.js)."""
    location = location_for(request, token)
    if refused := not_turned_on(request, location):
        return refused
    context = {
        "location": location,
        "register_origin": register_origin_for(location.retailer_id),
    }
    return render(request, "lightspeed_x/gateway.html", context)


@retailer_required
@require_POST
def receive_sale(request: HttpRequest, token: str) -> HttpResponse:
    """The register's register_sale, posted by the gateway page: only its id is used."""
    location = location_for(request, token)
    try:
        preview = register_sale_preview(request.POST.get("register_sale", ""))
    except PosBadResponse as exc:
        return problem(request, location, "No sale from the register", exc.message, status=400)
    remember_preview(request, location, preview)
    return redirect(sale_url(location, preview.sale_id))


@retailer_required
@require_GET
def open_sale(request: HttpRequest, token: str, sale_id: str) -> HttpResponse:
    """The sale as the X-Series API has it: recorded for the linked owner, then checkout."""
    location = location_for(request, token)
    if refused := not_turned_on(request, location):
        return refused
    if not UUID.match(sale_id):
        return problem(request, location, *NO_SALE, status=404)
    try:
        with open_sale_source(POS_SYSTEM, retailer=location.retailer) as source:
            sale = source.fetch_sale(sale_id)
    except PosNotFound:
        return waiting(request, location, sale_id.lower())
    except IntegrationError as exc:
        retry = sale_url(location, sale_id)
        return problem(request, location, *NOT_LOADED, exc.message, status=502, retry_url=retry)
    if refusal := _refusal(sale):
        title, message, status = refusal
        return problem(request, location, title, message, status=status, retry_url="")
    location = location_for_shop(location, sale.shop_id)
    link = find_link(
        retailer=location.retailer,
        pos_system=POS_SYSTEM,
        pos_customer_id=sale.customer.pos_customer_id,
    )
    if link is None:
        remember_customer(request, location, sale.sale_id, sale.customer)
        return redirect(reverse("lightspeed_x_lookup", args=[token, sale.sale_id]))
    result = record_pos_sale(
        owner=link.owner,
        location=location,
        pos_system=POS_SYSTEM,
        sale=sale,
        finalized=False,  # SPEC §4: the cashier confirms returns and finishes in Astro
        cashier=request.user,
        return_url=done_url(location, sale.sale_id),
    )
    mark_recorded(visit=result.visit)
    return redirect("checkout", result.visit.pk)


NO_SALE = ("No sale in this link", "Press Pay, then Astro Loyalty, on a sale in Lightspeed.")
NOT_LOADED = ("Could not load the sale",)


def _refusal(sale: PosSale) -> tuple[str, str, int] | None:
    if sale.is_voided:
        return ("This sale was voided", "The sale was voided in Lightspeed: nothing to add.", 409)
    if sale.customer is None:
        message = (
            "Add the customer to the sale in Lightspeed, then press Pay and Astro Loyalty again."
        )
        return ("No customer on this sale", message, 409)
    return None


def waiting(request: HttpRequest, location: Location, sale_id: str) -> HttpResponse:
    """The API does not have the sale yet: say so, record nothing, and check again by itself.

    What the cashier sees before Lightspeed confirms the sale (docs/decisions.md): the lines as
    the register listed them, marked "not added yet", and the cards unchanged."""
    note_waiting_sale(location=location, sale_id=sale_id, cashier=request.user)
    check = request.GET.get("check", "0")
    check = int(check) if check.isdigit() else 0
    keep_checking = check < WAIT_CHECKS
    context = {
        "location": location,
        "sale_id": sale_id,
        "preview": remembered_preview(request, location, sale_id),
        "register_origin": register_origin_for(location.retailer_id),
        "next_url": f"{sale_url(location, sale_id)}?check={check + 1}" if keep_checking else "",
        "wait_ms": WAIT_SECONDS * 1000,
        "retry_url": sale_url(location, sale_id),
    }
    return render(request, "lightspeed_x/waiting.html", context, status=202)


@retailer_required
@require_GET
def done(request: HttpRequest, token: str) -> HttpResponse:
    """Finished lands here inside the register's iframe: tell the register to close it (EXIT).
    Astro took no money, so it never sends ACCEPT (docs/decisions.md)."""
    location = location_for(request, token)
    context = {"register_origin": register_origin_for(location.retailer_id)}
    return render(request, "lightspeed_x/done.html", context)
