"""POST /api/v1/sales/: a finalized sale, imported once (SPEC §5)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from loyalty.models import Card, VisitLine
from loyalty.services.api_links import find_link
from loyalty.services.api_sales import SaleResult, record_finalized_sale
from loyalty.services.sales import SaleLine

from ..idempotency import fingerprint, header_key, run_once
from ..product_filter import sale_passes_filter
from ..responses import SaleNotLinkedSerializer, SaleOutSerializer
from ..selectors import (
    card_json,
    cards_with_punches,
    coupons_json,
    offer_redemption_json,
    point_rewards_json,
)
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
        "Posting the same pos_sale_id again, or the same Idempotency-Key, returns the first "
        "answer and changes nothing (header `Idempotent-Replayed: true`)."
    ),
    parameters=[IDEMPOTENCY_KEY],
    request=SaleInSerializer,
    responses={
        201: SaleOutSerializer,
        200: SaleNotLinkedSerializer,
        404: error("The POS customer is not linked yet: the message says how to link them."),
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
    )


def _import(request: Request, sale: dict[str, Any]) -> Response:
    client = api_client(request)
    retailer, location = client.retailer, client.location
    link = find_link(
        retailer=retailer,
        pos_system=retailer.pos_integration,
        pos_customer_id=sale["pos_customer_id"],
    )
    if link is None:
        if not sale_passes_filter(location=location, lines=sale["lines"]):
            # SPEC §5: the product filter decides which sales link a customer to Astro.
            body = {
                "recorded": False,
                "message": "No line of this sale passes the store's product filter, so the "
                "customer does not need an Astro account for it. Nothing was recorded.",
            }
            return Response(body, status=status.HTTP_200_OK)
        raise not_linked(sale["pos_customer_id"])
    result = record_finalized_sale(
        owner=link.owner,
        location=location,
        pos_system=retailer.pos_integration,
        pos_sale_id=sale["pos_sale_id"],
        pos_customer_id=sale["pos_customer_id"],
        completed_at=sale["completed_at"],
        subtotal=sale["subtotal"],
        total=sale["total"],
        lines=[_sale_line(line) for line in sale["lines"]],
    )
    return Response(sale_json(result, sale), status=status.HTTP_201_CREATED)


def _sale_line(line: dict[str, Any]) -> SaleLine:
    codes = [line[name] for name in ("upc", "ean", "item_number") if line[name].strip()]
    return SaleLine(
        line_id=line["line_id"],
        codes=codes,
        quantity=line["quantity"],
        unit_price=line["unit_price"],
        description=line["description"],
    )


def sale_json(result: SaleResult, sale: dict[str, Any]) -> dict[str, Any]:
    """What the POS shows or prints after the sale: punches, points, rewards to offer."""
    owner = result.visit.owner
    cards = {c.pk: c for c in cards_with_punches(owner=owner, ids=result.punches_by_card)}
    rewards = point_rewards_json(retailer=owner.retailer, balance=result.points_balance)
    return {
        "pos_sale_id": sale["pos_sale_id"],
        "astro_id": owner.pk,
        "completed_at": sale["completed_at"].astimezone(UTC),
        "cards": [_punched(card, result.punches_by_card[pk]) for pk, card in cards.items()],
        "cards_completed": [f"C{pk:07d}" for pk in sorted(result.completed_card_ids)],
        "lines": [_line(line, result, cards) for line in result.lines],
        "points_earned": result.points_earned,
        "points_taken_back": result.points_taken_back,
        "points_balance": result.points_balance,
        "point_rewards": [reward for reward in rewards if reward["available"]],
        "coupons": coupons_json(owner=owner),
        "offers_applied": [offer_redemption_json(r) for r in result.offers],
    }


def _punched(card: Card, added: int) -> dict[str, Any]:
    row = card_json(card, card.punches)
    fields = ("card_id", "program", "card", "progress")
    return {
        **{key: row[key] for key in fields},
        "punches_added": added,
        "is_complete": card.status != "open",
    }


def _line(line: VisitLine, result: SaleResult, cards: dict[int, Card]) -> dict[str, Any]:
    card_pk = result.card_by_line.get(line.pk)
    return {
        "line_id": line.pos_line_id,
        "outcome": line.outcome,
        "card_id": cards[card_pk].card_number if card_pk in cards else None,
        "message": line.reason or line.get_outcome_display(),
    }
