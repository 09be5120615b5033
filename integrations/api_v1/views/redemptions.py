"""Redeeming complete cards through the API, limited to the store's stock (SPEC §3, §5)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from loyalty.access import get_card_for
from loyalty.selectors.loyalty_state import redeemable_cards, stocked_item_ids
from loyalty.services.redemptions import redeem_card

from ..answers import redemption_answer
from ..errors import ApiError
from ..idempotency import fingerprint, header_key, run_once
from ..inventory import replace_inventory
from ..queries import synced_inventory
from ..responses import InventoryOutSerializer, RedeemableCardSerializer, RedemptionOutSerializer
from ..serializers import InventoryInSerializer, InventoryQuerySerializer, RedemptionInSerializer
from .common import COMMON_ERRORS, api_client, error, get_link_or_404
from .sales import IDEMPOTENCY_KEY


def _inventory(request: Request, codes: list[str] | None) -> set[str] | None:
    """Item ids in stock: the codes sent with the request, else the last synced list."""
    client = api_client(request)
    if codes is None:
        codes = synced_inventory(location=client.location)
    if codes is None:
        return None  # the POS never told us its stock: every allowed item may be chosen
    return stocked_item_ids(retailer=client.retailer, codes=codes)


@extend_schema(
    operation_id="links_redeemable",
    summary="Complete cards and the items in stock they may be redeemed with",
    parameters=[InventoryQuerySerializer],
    responses={
        200: RedeemableCardSerializer(many=True),
        404: error("The POS customer is not linked."),
        **COMMON_ERRORS,
    },
)
@api_view(["GET"])
def redeemable(request: Request, pos_customer_id: str) -> Response:
    link = get_link_or_404(request, pos_customer_id)
    query = InventoryQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    raw = query.validated_data.get("inventory")
    codes = None if raw is None else [c.strip() for c in raw.split(",") if c.strip()]
    cards = redeemable_cards(
        retailer=api_client(request).retailer,
        owner=link.owner,
        inventory=_inventory(request, codes),
    )
    return Response(RedeemableCardSerializer(cards, many=True).data)


@extend_schema(
    operation_id="inventory_replace",
    summary="Send the store's stock (replaces the last list)",
    request=InventoryInSerializer,
    responses={200: InventoryOutSerializer, **COMMON_ERRORS},
)
@api_view(["PUT"])
def inventory(request: Request) -> Response:
    data = InventoryInSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    synced = replace_inventory(
        location=api_client(request).location, codes=data.validated_data["codes"]
    )
    return Response(InventoryOutSerializer(synced).data)


@extend_schema(
    operation_id="redemptions_create",
    summary="Redeem a complete card with one item",
    parameters=[IDEMPOTENCY_KEY],
    request=RedemptionInSerializer,
    responses={
        201: RedemptionOutSerializer,
        404: error("No such card for this customer, or the customer is not linked."),
        409: error("The card has already been redeemed."),
        422: error(
            "The card is not complete, the item is not allowed, or contact data is missing."
        ),
        **COMMON_ERRORS,
    },
)
@api_view(["POST"])
def redemptions(request: Request) -> Response:
    data = RedemptionInSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    keys = [key] if (key := header_key(request.headers.get("Idempotency-Key"))) else []
    return run_once(
        retailer=api_client(request).retailer,
        keys=keys,
        request_fingerprint=fingerprint(request.path, request.data),
        handler=lambda: _redeem(request, data.validated_data),
    )


def _redeem(request: Request, wanted: dict[str, Any]) -> Response:
    client = api_client(request)
    link = get_link_or_404(request, wanted["pos_customer_id"])
    card = get_card_for(client, int(wanted["card_id"].lstrip("Cc")))
    if card.owner_id != link.owner_id:
        raise ApiError(
            status_code=404,
            code="not_found",
            message=f"Card {card.card_number} is not a card of POS customer "
            f"{wanted['pos_customer_id']}.",
        )
    redemption = redeem_card(
        card=card,
        item_id=wanted["item_id"],
        location=client.location,
        inventory=_inventory(request, wanted.get("inventory")),
    )
    answer = RedemptionOutSerializer(redemption_answer(redemption)).data
    return Response(answer, status=status.HTTP_201_CREATED)
