"""What the Heartland cashier screens share: the parameters the Astro Loyalty button carries, its
URL, and the POS customer remembered between Customer Lookup and Save Pet Owner."""

from __future__ import annotations

from dataclasses import asdict
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from integrations.base import PosCustomer
from loyalty.errors import DomainError
from loyalty.models import Location, PetOwner
from loyalty.services.owners import link_pos_customer

from .connection import POS_SYSTEM
from .return_urls import return_url_for

# What the UI extension passes on (notes §7): the ticket, and where Finished goes. The customer
# id is added by Astro once the ticket is read; nothing else from the URL is used.
PARAMS = ("ticket_id", "customer_id", "pos_url")
# A pos_url longer than this is not a Heartland page (Visit.return_url holds 500).
MAX_POS_URL = 500


def params_of(request: HttpRequest) -> dict[str, str]:
    given = {key: value.strip() for key, value in request.GET.items()}
    given |= {key: value.strip() for key, value in request.POST.items()}
    found = {name: given.get(name, "") for name in PARAMS}
    if len(found["pos_url"]) > MAX_POS_URL:
        found["pos_url"] = ""
    return found


def button_url(location: Location, params: dict[str, str]) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    path = reverse("heartland_button", args=[location.button_token])
    return f"{path}?{query}" if query else path


def problem(
    request: HttpRequest,
    location: Location,
    params: dict[str, str],
    title: str,
    message: str,
    *,
    status: int,
    retry: bool = True,
) -> HttpResponse:
    context = {
        "title": title,
        "message": message,
        "retry_url": button_url(location, params) if retry else "",
        "return_url": return_url_for(location, params["pos_url"]),
    }
    return render(request, "heartland/problem.html", context, status=status)


def _session_key(location: Location, customer_id: str) -> str:
    return f"heartland-customer:{location.pk}:{customer_id}"


def remember_customer(request: HttpRequest, location: Location, customer: PosCustomer) -> None:
    """The POS customer's details for the lookup and the prefilled new-owner form."""
    request.session[_session_key(location, customer.pos_customer_id)] = asdict(customer)


def remembered(request: HttpRequest, location: Location, customer_id: str) -> dict | None:
    return request.session.get(_session_key(location, customer_id)) if customer_id else None


def link(request: HttpRequest, owner: PetOwner, customer_id: str) -> None:
    try:
        link_pos_customer(
            owner=owner, pos_system=POS_SYSTEM, pos_customer_id=customer_id, actor=request.user
        )
    except DomainError:
        # A second tab or a double click linked it a moment ago: the ticket imports for the
        # owner it is linked to, which the checkout screen names.
        messages.info(request, "This customer was already linked; showing the linked account.")
