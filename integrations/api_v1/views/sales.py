"""POST /api/v1/sales/: a finalized sale, imported once (SPEC §5)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from loyalty.contracts.pos import PosCustomer, PosLine, PosSale
from loyalty.services.punches import lock_linked_owner
from loyalty.services.sales import record_pos_sale

from ..answers import SaleNotRecorded
from ..idempotency import canonical, fingerprint, header_key, run_once
from ..product_filter import sale_passes_filter
from ..responses import SaleNotLinkedSerializer, SaleOutSerializer
from ..sale_answer import sale_body
from ..serializers import SaleInSerializer
from .common import COMMON_ERRORS, api_client, error, not_linked

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Optional. A repeat with the same key returns the first answer.",
)


@extend_schema(
    operation_id="sales_create",
    summary="Post a finalized (paid) sale",
    description=(
        "Punches the customer's cards, earns points and applies returns (negative quantity). "
        "Posting the same sale again (same pos_sale_id and the same details), or the same "
        "Idempotency-Key, returns the first answer and changes nothing (header "
        "`Idempotent-Replayed: true`). The same pos_sale_id with other details is 409 "
        "`sale_id_reused`, and `fields` names each field that differs."
    ),
    parameters=[IDEMPOTENCY_KEY],
    request=SaleInSerializer,
    responses={
        201: SaleOutSerializer,
        200: SaleNotLinkedSerializer,
        404: error("The POS customer is not linked yet: the message says how to link them."),
        409: error("This pos_sale_id was posted with other details; `fields` says which."),
        422: error("The Idempotency-Key was used for another request."),
        **COMMON_ERRORS,
    },
)
@api_view(["POST"])
def sales(request: Request) -> Response:
    data = SaleInSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    sale = data.validated_data
    retailer = api_client(request).retailer
    keys = [f"sale:{sale['pos_sale_id']}"]
    if key := header_key(request.headers.get("Idempotency-Key")):
        keys.append(key)
    return run_once(
        retailer=retailer,
        keys=keys,
        request_fingerprint=fingerprint(request.path, request.data),
        handler=lambda: _import(request, sale),
        # Compared as validated values at UTC: "2" and 2, or one instant in two zones, agree.
        request_body=canonical({**sale, "completed_at": sale["completed_at"].astimezone(UTC)}),
    )


def _import(request: Request, sale: dict[str, Any]) -> Response:
    client = api_client(request)
    retailer, location = client.retailer, client.location
    # The linked owner, locked for the sale's punches, in one statement (SPEC §9).
    owner = lock_linked_owner(
        retailer_id=retailer.pk,
        pos_system=retailer.pos_integration,
        pos_customer_id=sale["pos_customer_id"],
    )
    if owner is None:
        if not sale_passes_filter(location=location, lines=sale["lines"]):
            # SPEC §5: the product filter decides which sales link a customer to Astro.
            body = SaleNotLinkedSerializer(SaleNotRecorded()).data
            return Response(body, status=status.HTTP_200_OK)
        raise not_linked(sale["pos_customer_id"])
    result = record_pos_sale(
        owner=owner,
        location=location,
        pos_system=retailer.pos_integration,
        sale=_pos_sale(sale),
        finalized=True,  # SPEC §5: only paid sales are posted
        sold_at=sale["completed_at"],
        owner_locked=True,
    )
    # SaleOutSerializer's body (the document above names it), from the pipeline's own result.
    return Response(sale_body(result, sale), status=status.HTTP_201_CREATED)


def _pos_sale(sale: dict[str, Any]) -> PosSale:
    """The posted sale as the DTO every POS hands the sale pipeline."""
    lines = tuple(_pos_line(line) for line in sale["lines"])
    return PosSale(
        sale_id=sale["pos_sale_id"],
        customer=PosCustomer(pos_customer_id=sale["pos_customer_id"]),
        lines=lines,
        subtotal=sale["subtotal"],
        total=sale["total"],
        completed=True,
        is_refund=any(line.quantity < 0 for line in lines),
    )


def _pos_line(line: dict[str, Any]) -> PosLine:
    codes = tuple(line[name] for name in ("upc", "ean", "item_number") if line[name].strip())
    return PosLine(
        line_id=line["line_id"],
        codes=codes,
        description=line["description"],
        quantity=line["quantity"],
        unit_price=line["unit_price"],
    )
