"""The sandbox Sell screen's buttons: each POSTs, changes the sale (registering.py) and goes
back to the sale (post/redirect/get)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import registering as reg
from ..models import SandboxCustomer, SandboxLine, SandboxProduct
from .common import store_for
from .register import as_uuid, sale_for, sale_page


def _quantity(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw or "1")
    except InvalidOperation:
        return None
    return value if value.is_finite() and 0 < abs(value) < 1000 else None


def _act(request, domain_prefix: str, sale_id: str, change, **query) -> HttpResponse:
    store = store_for(domain_prefix)
    sale = sale_for(store, sale_id)
    try:
        result = change(store, sale)
    except reg.RegisterError as exc:
        messages.error(request, str(exc))
        return redirect(sale_page(store, sale))
    return redirect(sale_page(store, result or sale, **query))


@require_POST
def add(request: HttpRequest, domain_prefix: str, sale_id: str) -> HttpResponse:
    """Add a product chosen from the list, or scanned by SKU or UPC."""

    def change(store, sale):
        code = request.POST.get("code", "").strip()
        products = SandboxProduct.objects.filter(store=store)
        chosen = as_uuid(request.POST.get("product", ""))
        product = (
            products.filter(product_id=chosen).first()
            if chosen
            else (products.filter(sku=code).first() or products.filter(upc=code).first())
        )
        quantity = _quantity(request.POST.get("quantity", "1"))
        if product is None or quantity is None:
            raise reg.RegisterError(
                f"No product has the code {code!r}." if code else "Choose a product."
            )
        reg.add_product(sale=sale, product=product, quantity=abs(quantity))

    return _act(request, domain_prefix, sale_id, change)


def _line(sale, line_id: str) -> SandboxLine:
    key = as_uuid(line_id)
    line = key and SandboxLine.objects.filter(sale=sale, line_id=key).select_related("sale").first()
    if line is None:
        raise reg.RegisterError("That line is not on this sale.")
    return line


@require_POST
def quantity(request: HttpRequest, domain_prefix: str, sale_id: str, line_id: str):
    def change(store, sale):
        value = _quantity(request.POST.get("quantity", ""))
        if value is None:
            raise reg.RegisterError("Enter a quantity such as 2.")
        line = _line(sale, line_id)
        reg.set_quantity(line=line, quantity=-abs(value) if sale.return_for_id else abs(value))

    return _act(request, domain_prefix, sale_id, change)


@require_POST
def remove(request: HttpRequest, domain_prefix: str, sale_id: str, line_id: str):
    return _act(
        request, domain_prefix, sale_id, lambda s, sale: reg.remove_line(line=_line(sale, line_id))
    )


@require_POST
def customer(request: HttpRequest, domain_prefix: str, sale_id: str) -> HttpResponse:
    def change(store, sale):
        chosen = request.POST.get("customer", "")
        found = (
            SandboxCustomer.objects.filter(store=store, customer_id=chosen).first()
            if chosen
            else None
        )
        if chosen is None and "remove" not in request.POST or chosen and found is None:
            raise reg.RegisterError("Choose a customer of this store.")
        reg.set_customer(sale=sale, customer=None if "remove" in request.POST else found)

    return _act(request, domain_prefix, sale_id, change)


@require_POST
def pay(request: HttpRequest, domain_prefix: str, sale_id: str) -> HttpResponse:
    return _act(
        request, domain_prefix, sale_id, lambda s, sale: reg.start_payment(sale=sale), pay="1"
    )


@require_POST
def cash(request: HttpRequest, domain_prefix: str, sale_id: str) -> HttpResponse:
    def change(store, sale):
        reg.pay(sale=sale, amount=reg.total_to_pay(sale), method="Cash")

    return _act(request, domain_prefix, sale_id, change)


@require_POST
def park(request: HttpRequest, domain_prefix: str, sale_id: str) -> HttpResponse:
    return _act(request, domain_prefix, sale_id, lambda s, sale: reg.park(sale=sale))


@require_POST
def void(request: HttpRequest, domain_prefix: str, sale_id: str) -> HttpResponse:
    return _act(request, domain_prefix, sale_id, lambda s, sale: reg.void(sale=sale))


@require_POST
def start_return(request: HttpRequest, domain_prefix: str, sale_id: str) -> HttpResponse:
    return _act(request, domain_prefix, sale_id, lambda s, sale: reg.start_return(sale=sale))


@require_POST
def payment_step(request: HttpRequest, domain_prefix: str, sale_id: str) -> JsonResponse:
    """The register's script reports a step the payment window sent (JSON body)."""
    store = store_for(domain_prefix)
    sale = sale_for(store, sale_id)
    try:
        body = json.loads(request.body or b"{}")
        amount = Decimal(str(body.get("amount") or "0"))
        reg.payment_step(sale=sale, step=str(body.get("step")), amount=amount)
    except (ValueError, InvalidOperation, AttributeError, reg.RegisterError) as exc:
        return JsonResponse({"error": str(exc) or "Not a payment step."}, status=400)
    return JsonResponse({"ok": True})
