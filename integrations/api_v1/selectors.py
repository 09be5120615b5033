"""Reads shaped for API answers, always scoped by retailer, a fixed number of queries each."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from loyalty.models import (
    Card,
    Coupon,
    Item,
    OfferRedemption,
    PetOwner,
    PointReward,
    PosLink,
    Retailer,
)
from loyalty.models.cards import COUNTED_STATES, CardStatus
from loyalty.selectors.matching import find_items
from loyalty.services.coupons import available_coupons
from loyalty.services.offers import running_offers
from loyalty.services.points import points_balance
from loyalty.services.redemptions import redeemable_items

from .models import InventoryItem


def owners_by_email(*, retailer: Retailer, email: str) -> list[dict[str, Any]]:
    """ "Already In Astro": owners with this email, merged duplicates left out."""
    owners = PetOwner.objects.filter(
        retailer=retailer, email_normalized=email.strip().lower(), merged_into__isnull=True
    ).order_by("pk")
    return owner_rows(retailer=retailer, owners=owners)


def owner_rows(*, retailer: Retailer, owners: Iterable[PetOwner]) -> list[dict[str, Any]]:
    owners = list(owners)
    links: dict[int, list[str]] = {owner.pk: [] for owner in owners}
    for owner_id, customer_id in PosLink.objects.filter(
        retailer=retailer, owner__in=owners
    ).values_list("owner_id", "pos_customer_id"):
        links[owner_id].append(customer_id)
    return [{"owner": owner, "pos_customer_ids": sorted(links[owner.pk])} for owner in owners]


def owner_json(row: dict[str, Any]) -> dict[str, Any]:
    owner = row["owner"]
    return {
        "astro_id": owner.pk,
        "first_name": owner.first_name,
        "last_name": owner.last_name,
        "email": owner.email,
        "phone": owner.phone,
        "pos_customer_ids": row["pos_customer_ids"],
    }


def card_json(card: Card, punches: int) -> dict[str, Any]:
    required = card.program_card.purchases_required
    return {
        "card_id": card.card_number,
        "program": card.program_card.program.name,
        "card": card.program_card.name,
        "progress": f"{punches}/{required}",
        "punches": punches,
        "purchases_required": required,
        "status": card.status,
    }


def cards_with_punches(*, owner: PetOwner, ids: Collection[int] | None = None) -> list[Card]:
    """Open and complete cards (or the given ones), alphabetical by program (Pinogy's tab)."""
    cards = Card.objects.filter(owner=owner, retailer_id=owner.retailer_id)
    cards = cards.filter(pk__in=ids) if ids is not None else cards.exclude(status="redeemed")
    return list(
        cards.select_related("program_card__program")
        .annotate(punches=Count("purchases", filter=Q(purchases__state__in=COUNTED_STATES)))
        .order_by("program_card__program__name", "program_card__name", "created_at", "pk")
    )


def point_rewards_json(*, retailer: Retailer, balance: int) -> list[dict[str, Any]]:
    rewards = PointReward.objects.filter(retailer=retailer, is_active=True)
    return [
        {
            "id": reward.pk,
            "name": reward.name,
            "points_required": reward.points_required,
            "description": reward.description,
            "available": balance >= reward.points_required,
        }
        for reward in rewards
    ]


def loyalty_state(*, owner: PetOwner) -> dict[str, Any]:
    """SPEC §5: Astro id, cards with `5/12` progress and card id, points, rewards."""
    balance = points_balance(owner)
    return {
        "astro_id": owner.pk,
        "name": owner.full_name,
        "cards": [card_json(card, card.punches) for card in cards_with_punches(owner=owner)],
        "points_balance": balance,
        "point_rewards": point_rewards_json(retailer=owner.retailer, balance=balance),
        "coupons": coupons_json(owner=owner),
        "offers": offers_json(retailer=owner.retailer),
    }


def coupons_json(*, owner: PetOwner) -> list[dict[str, Any]]:
    return [coupon_json(coupon) for coupon in available_coupons(owner=owner)]


def coupon_json(coupon: Coupon) -> dict[str, Any]:
    return {
        "id": coupon.pk,
        "name": coupon.name,
        "description": coupon.description,
        "amount_off": f"{coupon.amount_off:.2f}",
        "expires_at": coupon.expires_at,
        "reward_id": coupon.reward_id,
        "is_used": coupon.redeemed_at is not None,
    }


def offers_json(*, retailer: Retailer) -> list[dict[str, Any]]:
    """The offers the store runs now; a sale applies them by itself."""
    return [
        {
            "id": offer.pk,
            "name": offer.name,
            "kind": offer.kind,
            "terms": offer.terms,
            "ends_at": offer.ends_at,
        }
        for offer in running_offers(retailer=retailer, at=timezone.now())
    ]


def offer_redemption_json(redemption: OfferRedemption) -> dict[str, Any]:
    return {
        "offer_id": redemption.offer_id,
        "name": redemption.offer.name,
        "kind": redemption.offer.kind,
        "times": redemption.times,
        "discount": f"{redemption.discount:.2f}",
        "reward_id": redemption.reward_id,
    }


def stocked_item_ids(*, retailer: Retailer, codes: Collection[str]) -> set[str]:
    """The Astro item ids of the codes the store stocks (UPC, EAN or item number)."""
    found = find_items(retailer=retailer, lines=[[code] for code in codes])
    return {str(item.pk) for item in found if item is not None}


def synced_inventory(*, location) -> list[str] | None:
    """The codes the POS last synced for the location, or None if it never did."""
    codes = list(InventoryItem.objects.filter(location=location).values_list("code", flat=True))
    return codes or None


def item_json(item: Item) -> dict[str, Any]:
    return {
        "item_id": item.pk,
        "upc": item.upc,
        "item_number": item.item_number,
        "description": item.description,
        "size": item.size,
        "list_price": f"{item.list_price:.2f}" if item.list_price is not None else None,
    }


def redeemable_cards(*, owner: PetOwner, inventory: Collection[str] | None) -> list[dict[str, Any]]:
    """Complete cards and the items each may be redeemed with, limited to the stock when known.

    A few queries per complete card; an owner rarely has more than one or two."""
    cards = Card.objects.filter(owner=owner, status=CardStatus.COMPLETE).select_related(
        "program_card__program", "owner"
    )
    return [
        {
            **card_json(card, card.program_card.purchases_required),
            "reward_kind": card.program_card.reward_kind,
            "items": [item_json(i) for i in redeemable_items(card=card, inventory=inventory)],
        }
        for card in cards.order_by("program_card__program__name", "program_card__name", "pk")
    ]
