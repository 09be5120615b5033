"""The sandbox's subset of https://{subdomain}.retail.heartland.us/api/ (notes §3-5): tickets with
their lines, customers with their addresses, locations and items. Read-only, as Astro is."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .. import shapes
from ..models import SandboxAccount, SandboxCustomer, SandboxItem, SandboxTicket
from .common import api_view, includes, json_response, not_found, page_params


def api_root(request: HttpRequest) -> HttpResponse:
    """What the sandbox is, for a person opening the base URL."""
    return json_response({"name": "Heartland Retail sandbox API", "docs": "docs/heartland.md"})


def _ticket(account: SandboxAccount, ticket_id: int) -> SandboxTicket:
    # A ticket the station still holds is unknown to the API, like one that never existed.
    ticket = (
        SandboxTicket.objects.select_related("customer")
        .filter(account=account, pk=ticket_id, saved=True)
        .first()
    )
    if ticket is None:
        raise not_found("Ticket", ticket_id)
    return ticket


@api_view
def ticket(request: HttpRequest, account: SandboxAccount, ticket_id: int) -> HttpResponse:
    """GET sales/tickets/{id}[?_include[]=customer]."""
    embed = includes(request, {"customer", "location"})
    found = _ticket(account, ticket_id)
    data = shapes.ticket_json(found, with_customer="customer" in embed)
    if "location" in embed:
        data["location"] = shapes.location_json(found.location)
    return json_response(data)


@api_view
def tickets(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    """GET sales/tickets: the account's saved tickets, newest first."""
    number, per_page = page_params(request)
    embed = includes(request, {"customer"})
    rows = [
        shapes.ticket_json(row, with_customer="customer" in embed)
        for row in account.tickets.filter(saved=True).select_related("customer").order_by("-pk")
    ]
    return json_response(shapes.page(rows, number, per_page))


@api_view
def ticket_lines(request: HttpRequest, account: SandboxAccount, ticket_id: int) -> HttpResponse:
    """GET sales/tickets/{id}/lines[?_include[]=item], paginated."""
    number, per_page = page_params(request)
    embed = includes(request, {"item"})
    rows = shapes.ticket_lines_json(_ticket(account, ticket_id), with_item="item" in embed)
    return json_response(shapes.page(rows, number, per_page))


def _customer(account: SandboxAccount, customer_id: int) -> SandboxCustomer:
    found = SandboxCustomer.objects.filter(account=account, pk=customer_id).first()
    if found is None:
        raise not_found("Customer", customer_id)
    return found


@api_view
def customer(request: HttpRequest, account: SandboxAccount, customer_id: int) -> HttpResponse:
    return json_response(shapes.customer_json(_customer(account, customer_id)))


@api_view
def customer_addresses(
    request: HttpRequest, account: SandboxAccount, customer_id: int
) -> HttpResponse:
    number, per_page = page_params(request)
    found = _customer(account, customer_id)
    rows = [shapes.address_json(found)] if shapes.has_address(found) else []
    return json_response(shapes.page(rows, number, per_page))


@api_view
def locations(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    number, per_page = page_params(request)
    rows = [shapes.location_json(row) for row in account.locations.all()]
    return json_response(shapes.page(rows, number, per_page))


@api_view
def item(request: HttpRequest, account: SandboxAccount, item_id: int) -> HttpResponse:
    found = SandboxItem.objects.filter(account=account, pk=item_id).first()
    if found is None:
        raise not_found("Item", item_id)
    return json_response(shapes.item_json(found))
