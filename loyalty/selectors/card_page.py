"""What a pet owner's own card page shows (SPEC §8): their open and complete cards with the
checkout's `5/12` (the same selector, so the two never disagree) and what each card's reward can
be, points and the point rewards in reach, pre-paid visits and cash back, and their QR code.

Everything is read through the owner, so nothing of another owner or store can appear; a fixed
number of queries whatever the number of cards."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from loyalty.models import Item, PetOwner, Purchase
from loyalty.models.cards import CardStatus, PurchaseState
from loyalty.models.programs import ProgramCard, RewardKind
from loyalty.rules import free_goods
from loyalty.rules.astro_ids import astro_id_text
from loyalty.services.points import points_balance
from loyalty.services.redemptions import allowed_redeemable

from .custom_checkout import owner_balances
from .loyalty_state import point_rewards
from .owners import CardView, owner_cards

# How many item names a card lists before "and N more".
ITEMS_SHOWN = 4

_RULE_WORDS = {
    free_goods.SAME_SIZE: "one free item of a size you bought on this card",
    free_goods.LESSER_OR_EQUAL: "one free item priced up to the lowest price you paid on this card",
    free_goods.MOST_FREQUENT: "one free item: the one you bought most often on this card",
}


@dataclass(frozen=True)
class PageCard:
    """A card as its owner reads it: progress, punches to go, and what the reward can be."""

    view: CardView
    reward: str
    items: tuple[Item, ...]

    @property
    def is_complete(self) -> bool:
        return self.view.card.status == CardStatus.COMPLETE

    @property
    def to_go(self) -> int:
        return max(self.view.required - self.view.punches, 0)

    @property
    def items_shown(self) -> tuple[Item, ...]:
        return self.items[:ITEMS_SHOWN]

    @property
    def items_more(self) -> int:
        return max(len(self.items) - ITEMS_SHOWN, 0)


def reward_words(program_card: ProgramCard, *, complete: bool) -> str:
    """SPEC §3's free-good rules in the owner's words (the page lists the items after them)."""
    if program_card.reward_kind == RewardKind.DISCOUNT_ITEM:
        return "a discount"
    if complete or program_card.free_good_rule == free_goods.FIXED_LIST:
        return "one free item of your choice"
    return _RULE_WORDS.get(program_card.free_good_rule, "one free item")


def _page_cards(owner: PetOwner) -> list[PageCard]:
    views = [v for v in owner_cards(owner=owner) if v.card.status != CardStatus.REDEEMED]
    program_cards = [view.card.program_card for view in views]
    prefetch_related_objects(program_cards, "redeemable_items")  # one query for every card
    complete = [view.card for view in views if view.card.status == CardStatus.COMPLETE]
    punches: dict[int, list[Purchase]] = defaultdict(list)
    if complete:
        active = Purchase.objects.filter(card__in=complete, state=PurchaseState.ACTIVE)
        for purchase in active.select_related("item").order_by("id"):
            punches[purchase.card_id].append(purchase)
    cards = []
    for view in views:
        program_card, done = view.card.program_card, view.card.status == CardStatus.COMPLETE
        items = list(program_card.redeemable_items.all())
        if done:  # the very items the Finish screen would offer for this card
            items = allowed_redeemable(card=view.card, items=items, purchases=punches[view.card.pk])
        elif program_card.free_good_rule != free_goods.FIXED_LIST:
            items = []  # which items depends on the purchases still to come
        words = reward_words(program_card, complete=done)
        cards.append(PageCard(view, words, tuple(items)))
    return cards


def card_page(*, owner: PetOwner) -> dict:
    """The page's context: the owner's store, cards, points, rewards, balances and QR text."""
    balance = points_balance(owner)
    rewards = sorted(
        point_rewards(retailer=owner.retailer, balance=balance),
        key=lambda option: (option.reward.points_required, option.reward.pk),
    )
    balances = owner_balances(owner=owner)
    next_reward = next((option.reward for option in rewards if not option.is_available), None)
    return {
        "owner": owner,
        "store": owner.retailer,
        "cards": _page_cards(owner),
        "points": balance,
        "rewards_ready": [option.reward for option in rewards if option.is_available],
        "next_reward": next_reward,
        "points_to_go": next_reward.points_required - balance if next_reward else 0,
        "packages": balances["packages"],
        "cash_back": balances["cash_back"],
        "astro_id_text": astro_id_text(owner.pk),
    }
