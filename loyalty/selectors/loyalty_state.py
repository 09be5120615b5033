"""What a POS is told about a pet owner (SPEC §5): their POS links, cards with punches, points,
point rewards, coupons, the store's running offers, and the complete cards they may redeem.

Every read takes `retailer=` and runs a fixed number of queries, however much the owner holds;
the answers are model instances and frozen dataclasses, shaped into JSON by the caller."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from loyalty.models import (
    Card,
    Coupon,
    Item,
    Offer,
    PetOwner,
    PointReward,
    PosLink,
    Purchase,
    Retailer,
)
from loyalty.models.cards import COUNTED_STATES, CardStatus, PurchaseState
from loyalty.services import coupons, offers
from loyalty.services.points import points_balance
from loyalty.services.redemptions import allowed_redeemable

from .matching import find_items

# Pinogy's loyalty tab lists cards alphabetically by program, then sub-program.
CARD_ORDER = ("program_card__program__name", "program_card__name")


@dataclass(frozen=True)
class OwnerLinks:
    """A pet owner and the POS customer ids linked to them, sorted."""

    owner: PetOwner
    pos_customer_ids: tuple[str, ...]


@dataclass(frozen=True)
class CardProgress:
    """A card and its counted punches; `progress` reads like "5/12"."""

    card: Card
    punches: int

    @property
    def purchases_required(self) -> int:
        return self.card.program_card.purchases_required

    @property
    def progress(self) -> str:
        return f"{self.punches}/{self.purchases_required}"

    @property
    def is_complete(self) -> bool:
        return self.card.status in (CardStatus.COMPLETE, CardStatus.REDEEMED)


@dataclass(frozen=True)
class RedeemableCard(CardProgress):
    """A complete card and the items it may be redeemed with (in stock, when the stock is known)."""

    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class PointRewardOption:
    """A point reward of the store, and whether the owner's balance reaches it."""

    reward: PointReward
    is_available: bool


@dataclass(frozen=True)
class LoyaltyState:
    """SPEC §5: Astro id, cards with `5/12` progress and card id, points, rewards, offers."""

    owner: PetOwner
    cards: tuple[CardProgress, ...]
    points_balance: int
    point_rewards: tuple[PointRewardOption, ...]
    coupons: tuple[Coupon, ...]
    offers: tuple[Offer, ...]


def owners_by_email(*, retailer: Retailer, email: str) -> list[OwnerLinks]:
    """ "Already In Astro": owners with this email, merged duplicates left out. Two queries."""
    owners = PetOwner.objects.filter(
        retailer=retailer, email_normalized=email.strip().lower(), merged_into__isnull=True
    ).order_by("pk")
    return owners_with_links(retailer=retailer, owners=owners)


def owners_with_links(*, retailer: Retailer, owners: Iterable[PetOwner]) -> list[OwnerLinks]:
    """The owners, in the order given, each with their POS customer ids. One query."""
    owners = list(owners)
    links: dict[int, list[str]] = defaultdict(list)
    for owner_id, customer_id in PosLink.objects.filter(
        retailer=retailer, owner__in=owners
    ).values_list("owner_id", "pos_customer_id"):
        links[owner_id].append(customer_id)
    return [OwnerLinks(owner, tuple(sorted(links[owner.pk]))) for owner in owners]


def cards_with_punches(
    *, retailer: Retailer, owner: PetOwner, ids: Collection[int] | None = None
) -> list[CardProgress]:
    """Open and complete cards (or the given ones) in alphabetical order. One query.
    Redeemed and expired cards are history: the POS sees them no more."""
    cards = Card.objects.filter(owner=owner, retailer=retailer)
    cards = (
        cards.filter(pk__in=list(ids))
        if ids is not None
        else cards.exclude(status__in=["redeemed", "expired"])
    )
    cards = (
        cards.select_related("program_card__program")
        .annotate(punches=Count("purchases", filter=Q(purchases__state__in=COUNTED_STATES)))
        .order_by(*CARD_ORDER, "created_at", "pk")
    )
    return [CardProgress(card, card.punches) for card in cards]


def point_rewards(*, retailer: Retailer, balance: int) -> list[PointRewardOption]:
    """The store's active point rewards, each available when the balance reaches it. One query."""
    rewards = PointReward.objects.filter(retailer=retailer, is_active=True)
    return [PointRewardOption(reward, balance >= reward.points_required) for reward in rewards]


def available_coupons(
    *, retailer: Retailer, owner: PetOwner, at: datetime | None = None
) -> list[Coupon]:
    """Coupons the owner may use now, for the cashier to accept or decline. One query."""
    return list(coupons.available_coupons(owner=owner, at=at).filter(retailer=retailer))


def running_offers(*, retailer: Retailer, at: datetime | None = None) -> list[Offer]:
    """The offers the store runs now; a sale applies them by itself. One query."""
    return list(offers.running_offers(retailer=retailer, at=at or timezone.now()))


def loyalty_state(
    *, retailer: Retailer, owner: PetOwner, balance: int | None = None
) -> LoyaltyState:
    """Everything the POS shows for a linked customer, in five queries (four when the caller
    read the balance already, with the owner: `balance`)."""
    balance = points_balance(owner) if balance is None else balance
    return LoyaltyState(
        owner=owner,
        cards=tuple(cards_with_punches(retailer=retailer, owner=owner)),
        points_balance=balance,
        point_rewards=tuple(point_rewards(retailer=retailer, balance=balance)),
        coupons=tuple(available_coupons(retailer=retailer, owner=owner)),
        offers=tuple(running_offers(retailer=retailer)),
    )


def stocked_item_ids(*, retailer: Retailer, codes: Collection[str]) -> set[str]:
    """The Astro item ids of the codes the store stocks (UPC, EAN or item number). One query."""
    found = find_items(retailer=retailer, lines=[[code] for code in codes])
    return {str(item.pk) for item in found if item is not None}


def redeemable_cards(
    *, retailer: Retailer, owner: PetOwner, inventory: Collection[str] | None
) -> list[RedeemableCard]:
    """Complete cards and the items each may be redeemed with, limited to the stock (item ids)
    when it is known. Three queries, however many cards: cards, their items, their punches."""
    active = Purchase.objects.filter(state=PurchaseState.ACTIVE).select_related("item")
    cards = (
        Card.objects.filter(owner=owner, retailer=retailer, status=CardStatus.COMPLETE)
        .select_related("program_card__program")
        .prefetch_related(
            "program_card__redeemable_items",
            Prefetch("purchases", queryset=active, to_attr="active_purchases"),
        )
        .order_by(*CARD_ORDER, "pk")
    )
    return [
        RedeemableCard(
            card=card,
            punches=card.program_card.purchases_required,
            items=tuple(
                allowed_redeemable(
                    card=card,
                    items=list(card.program_card.redeemable_items.all()),
                    purchases=card.active_purchases,
                    inventory=inventory,
                )
            ),
        )
        for card in cards
    ]
