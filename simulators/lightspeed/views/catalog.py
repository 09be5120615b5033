"""Sandbox Customer and Item endpoints: list and create, plus GET one customer."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_http_methods

from .. import shapes
from ..models import SandboxAccount, SandboxCustomer, SandboxItem
from .common import ApiError, account_object, api_view, json_body


@require_http_methods(["GET", "POST"])
@api_view()
def customers(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    """GET Customer.json lists the account's customers; POST creates one with its Contact."""
    if request.method == "POST":
        customer = _create_customer(account, json_body(request))
        return JsonResponse(shapes.single("Customer", shapes.customer_json(customer)))
    rows = [shapes.customer_json(c) for c in account.customers.order_by("pk")]
    return JsonResponse(shapes.listing("Customer", rows))


@require_http_methods(["GET"])
@api_view()
def customer(request: HttpRequest, account: SandboxAccount, customer_id: int) -> HttpResponse:
    """GET Customer/{id}.json, always with its Contact."""
    found = account_object(SandboxCustomer, account, customer_id, "Customer")
    return JsonResponse(shapes.single("Customer", shapes.customer_json(found)))


@require_http_methods(["GET", "POST"])
@api_view()
def items(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    """GET Item.json lists the account's items; POST creates one."""
    if request.method == "POST":
        item = _create_item(account, json_body(request))
        return JsonResponse(shapes.single("Item", shapes.item_json(item)))
    rows = [shapes.item_json(i) for i in account.items.order_by("pk")]
    return JsonResponse(shapes.listing("Item", rows))


def _first(wrapper: Any, element: str, field: str) -> str:
    """The first `field` of a one-or-many Contact relation such as Emails.ContactEmail."""
    if not isinstance(wrapper, dict):
        return ""
    entries = wrapper.get(element) or []
    entries = entries if isinstance(entries, list) else [entries]
    return next((str(e.get(field, "")) for e in entries if isinstance(e, dict)), "")


def _create_customer(account: SandboxAccount, body: dict[str, Any]) -> SandboxCustomer:
    contact = body.get("Contact") or {}
    if not isinstance(contact, dict):
        raise ApiError(400, "Contact must be an object.")
    return SandboxCustomer.objects.create(
        account=account,
        first_name=str(body.get("firstName", "")),
        last_name=str(body.get("lastName", "")),
        email=_first(contact.get("Emails"), "ContactEmail", "address"),
        phone=_first(contact.get("Phones"), "ContactPhone", "number"),
    )


def _create_item(account: SandboxAccount, body: dict[str, Any]) -> SandboxItem:
    if not body.get("description"):
        raise ApiError(400, "An Item needs a description.")
    raw_price = _first(body.get("Prices"), "ItemPrice", "amount") or "0"
    try:
        price = Decimal(raw_price)
    except InvalidOperation:
        raise ApiError(400, "ItemPrice amount must be a number.") from None
    return SandboxItem.objects.create(
        account=account,
        description=str(body["description"]),
        upc=str(body.get("upc", "")),
        ean=str(body.get("ean", "")),
        custom_sku=str(body.get("customSku", "")),
        price=price,
    )
