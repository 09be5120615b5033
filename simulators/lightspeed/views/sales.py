"""Sandbox Sale endpoints: GET one sale with load_relations, POST a sale, PUT its lines."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_http_methods

from .. import bucket, shapes
from ..models import SandboxAccount, SandboxCustomer, SandboxItem, SandboxSale, SandboxSaleLine
from .common import ApiError, account_object, api_view, json_body


@require_http_methods(["POST"])
@api_view(write_cost=bucket.SALE_WRITE_COST)
def sales(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    """POST Sale.json: a new sale with its SaleLines."""
    body = json_body(request)
    with transaction.atomic():
        sale = SandboxSale(account=account)
        _apply_fields(sale, body)
        sale.save()
        _replace_lines(sale, body)
    return JsonResponse(shapes.single("Sale", shapes.sale_json(sale, shapes.SALE_RELATIONS)))


@require_http_methods(["GET", "PUT"])
@api_view(write_cost=bucket.SALE_WRITE_COST)
def sale(request: HttpRequest, account: SandboxAccount, sale_id: int) -> HttpResponse:
    """GET Sale/{id}.json?load_relations=[...]; PUT replaces the fields and lines it names."""
    found = account_object(SandboxSale, account, sale_id, "Sale")
    if request.method == "PUT":
        body = json_body(request)
        with transaction.atomic():
            _apply_fields(found, body)
            found.save()
            if "SaleLines" in body:
                _replace_lines(found, body)
        relations = shapes.SALE_RELATIONS
    else:
        relations = _load_relations(request)
    return JsonResponse(shapes.single("Sale", shapes.sale_json(found, relations)))


def _load_relations(request: HttpRequest) -> frozenset[str]:
    """load_relations is a JSON-encoded array, or "all" (reference §2.3, §4)."""
    raw = request.GET.get("load_relations", "")
    if not raw:
        return frozenset()
    if raw == "all":
        return shapes.SALE_RELATIONS
    try:
        names = json.loads(raw)
    except ValueError:
        raise ApiError(400, "load_relations must be a JSON array.") from None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ApiError(400, "load_relations must be a JSON array of strings.")
    unknown = set(names) - shapes.SALE_RELATIONS
    if unknown:
        raise ApiError(400, f"Invalid relation(s) for Sale: {', '.join(sorted(unknown))}.")
    return frozenset(names)


def _apply_fields(sale: SandboxSale, body: dict[str, Any]) -> None:
    if "customerID" in body:
        customer_id = _int(body["customerID"], "customerID")
        sale.customer = (
            account_object(SandboxCustomer, sale.account, customer_id, "Customer")
            if customer_id
            else None
        )
    if "completed" in body:
        sale.completed = str(body["completed"]).lower() == "true"
    for field, attr in (("shopID", "shop_id"), ("employeeID", "employee_id")):
        if field in body:
            setattr(sale, attr, str(body[field]))
    if "registerID" in body:
        sale.register_id = str(body["registerID"])


def _replace_lines(sale: SandboxSale, body: dict[str, Any]) -> None:
    wrapper = body.get("SaleLines") or {}
    if not isinstance(wrapper, dict):
        raise ApiError(400, "SaleLines must be an object.")
    raw_lines = wrapper.get("SaleLine") or []
    raw_lines = raw_lines if isinstance(raw_lines, list) else [raw_lines]
    sale.lines.all().delete()
    for raw in raw_lines:
        if not isinstance(raw, dict):
            raise ApiError(400, "Each SaleLine must be an object.")
        _create_line(sale, raw)


def _create_line(sale: SandboxSale, raw: dict[str, Any]) -> SandboxSaleLine:
    item_id = _int(raw.get("itemID", "0"), "itemID")
    item = account_object(SandboxItem, sale.account, item_id, "Item") if item_id else None
    if "unitPrice" in raw:
        price = _decimal(raw["unitPrice"], "unitPrice")
    elif item is not None:
        price = item.price
    else:
        raise ApiError(400, "A miscellaneous line (itemID 0) needs a unitPrice.")
    parent = None
    parent_id = _int(raw.get("parentSaleLineID", "0"), "parentSaleLineID")
    if parent_id:
        parent = SandboxSaleLine.objects.filter(sale__account=sale.account, pk=parent_id).first()
        if parent is None:
            raise ApiError(400, f"SaleLine {parent_id} not found.")
    return SandboxSaleLine.objects.create(
        sale=sale,
        item=item,
        unit_quantity=_int(raw.get("unitQuantity", "1"), "unitQuantity"),
        unit_price=price,
        parent_line=parent,
    )


def _int(value: Any, field: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ApiError(400, f"{field} must be a whole number.") from None


def _decimal(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ApiError(400, f"{field} must be a number.") from None
    if not amount.is_finite():
        raise ApiError(400, f"{field} must be a number.")
    return amount
