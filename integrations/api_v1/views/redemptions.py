"""Redeeming complete cards through the API, limited to the store's stock (SPEC §3, §5)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from loyalty.access import get_card_for
from loyalty.models import Redemption
from loyalty.models.programs import RewardKind
from loyalty.services.redemptions import redeem_card

from ..errors import ApiError
from ..idempotency import fingerprint, header_key, run_once
from ..models import InventoryItem
from ..responses import InventoryOutSerializer, RedeemableCardSerializer, RedemptionOutSerializer
from ..selectors import item_json, redeemable_cards, stocked_item_ids, synced_inventory
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
    return Response(redeemable_cards(owner=link.owner, inventory=_inventory(request, codes)))


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
    client = api_client(request)
    codes = sorted({code.strip() for code in data.validated_data["codes"] if code.strip()})
    with transaction.atomic():
        InventoryItem.objects.filter(location=client.location).delete()
        InventoryItem.objects.bulk_create(
            InventoryItem(location=client.location, code=code) for code in codes
        )
    matched = stocked_item_ids(retailer=client.retailer, codes=codes)
    return Response({"codes": len(codes), "matched_items": len(matched)})


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
    return Response(redemption_json(redemption), status=status.HTTP_201_CREATED)


def redemption_json(redemption: Redemption) -> dict[str, Any]:
    program_card = redemption.card.program_card
    if program_card.reward_kind == RewardKind.DISCOUNT_ITEM and program_card.discount_amount:
        discount = {
            "kind": "amount_off",
            "amount": f"{program_card.discount_amount:.2f}",
            "message": f"Take {program_card.discount_amount:.2f} off {redemption.item}.",
        }
    else:
        discount = {
            "kind": "free_item",
            "amount": None,
            "message": f"Ring up {redemption.item} at no charge (tax as your state requires).",
        }
    return {
        "reward_id": redemption.reward_id,
        "card_id": redemption.card.card_number,
        "item": item_json(redemption.item),
        "discount": discount,
        "redeemed_at": redemption.redeemed_at,
    }
