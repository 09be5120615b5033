"""The sandbox's subset of the date-versioned X-Series API: a sale, a product, a customer, the
outlets and the sales, by version cursor. A sale the register has not saved yet answers 404."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from .. import shapes
from ..models import SandboxCustomer, SandboxOutlet, SandboxProduct, SandboxSale, SandboxStore
from .common import api_view, error, page


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _one(rows, field: str, value: str, shape) -> JsonResponse:
    found = rows.filter(**{field: key}).first() if (key := _uuid(value)) else None
    if found is None:
        return error(404, "Entity not found")
    return JsonResponse({"data": shape(found)})


@require_GET
@api_view
def sale(request: HttpRequest, store: SandboxStore, sale_id: str) -> JsonResponse:
    rows = SandboxSale.objects.filter(store=store, saved=True).select_related(
        "customer", "register__outlet", "return_for"
    )
    return _one(rows, "sale_id", sale_id, shapes.sale_json)


@require_GET
@api_view
def sales(request: HttpRequest, store: SandboxStore) -> JsonResponse:
    rows = SandboxSale.objects.filter(store=store, saved=True).select_related(
        "customer", "register__outlet", "return_for"
    )
    return page(request, rows, shapes.sale_json)


@require_GET
@api_view
def product(request: HttpRequest, store: SandboxStore, product_id: str) -> JsonResponse:
    rows = SandboxProduct.objects.filter(store=store)
    return _one(rows, "product_id", product_id, shapes.product_json)


@require_GET
@api_view
def customer(request: HttpRequest, store: SandboxStore, customer_id: str) -> JsonResponse:
    rows = SandboxCustomer.objects.filter(store=store)
    return _one(rows, "customer_id", customer_id, shapes.customer_json)


@require_GET
@api_view
def outlets(request: HttpRequest, store: SandboxStore) -> JsonResponse:
    return page(request, SandboxOutlet.objects.filter(store=store), shapes.outlet_json)
