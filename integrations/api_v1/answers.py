"""The API's answers as frozen dataclasses, each rendered by its serializer in responses.py.

Domain reads come from `loyalty.selectors.loyalty_state`; this module only arranges them with
what the request and the service returned into the shape an operation answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from loyalty.models import Coupon, PetOwner, Redemption, Retailer, VisitLine
from loyalty.models.cards import card_number
from loyalty.models.programs import RewardKind
from loyalty.selectors.loyalty_state import (
    CardProgress,
    PointRewardOption,
    available_coupons,
    cards_with_punches,
    point_rewards,
)

from .product_filter import Condition

if TYPE_CHECKING:  # the sale service's result; only its fields named below are read
    from loyalty.services.sales import SaleResult


@dataclass(frozen=True)
class PunchedCard(CardProgress):
    """A card a sale punched, with how many punches that sale added."""

    punches_added: int = 0


@dataclass(frozen=True)
class SaleLineAnswer:
    """What became of one line of the sale, and the card it punched, if any."""

    line: VisitLine
    card_id: str | None

    @property
    def message(self) -> str:
        return self.line.reason or self.line.get_outcome_display()


@dataclass(frozen=True)
class SaleAnswer:
    """What the POS shows or prints after a sale: punches, points, rewards to offer.

    Reads these fields of the sale service's result: visit, lines, punches_by_card,
    card_by_line, completed_card_ids, points_earned, points_taken_back, points_balance, offers;
    the balance is read once, here, since a result may compute it."""

    sale: Mapping[str, Any]  # the posted sale, validated
    result: SaleResult
    points_balance: int
    cards: tuple[PunchedCard, ...]
    lines: tuple[SaleLineAnswer, ...]
    point_rewards: tuple[PointRewardOption, ...]
    coupons: tuple[Coupon, ...]

    @property
    def cards_completed(self) -> list[str]:
        return [card_number(pk) for pk in sorted(self.result.completed_card_ids)]


def sale_answer(*, retailer: Retailer, sale: Mapping[str, Any], result: SaleResult) -> SaleAnswer:
    """Four queries at most: the balance, the punched cards, the point rewards, the coupons."""
    owner: PetOwner = result.visit.owner
    balance = result.points_balance
    punched = cards_with_punches(retailer=retailer, owner=owner, ids=result.punches_by_card)
    numbers = {progress.card.pk: progress.card.card_number for progress in punched}
    rewards = point_rewards(retailer=retailer, balance=balance)
    return SaleAnswer(
        sale=sale,
        result=result,
        points_balance=balance,
        cards=tuple(
            PunchedCard(p.card, p.punches, punches_added=result.punches_by_card[p.card.pk])
            for p in punched
        ),
        lines=tuple(
            SaleLineAnswer(line, numbers.get(result.card_by_line.get(line.pk)))
            for line in result.lines
        ),
        point_rewards=tuple(reward for reward in rewards if reward.is_available),
        coupons=tuple(available_coupons(retailer=retailer, owner=owner)),
    )


@dataclass(frozen=True)
class SaleNotRecorded:
    """SPEC §5: an unlinked customer's sale that no product of passes the product filter."""

    recorded: bool = False
    message: str = (
        "No line of this sale passes the store's product filter, so the customer does not "
        "need an Astro account for it. Nothing was recorded."
    )


@dataclass(frozen=True)
class Discount:
    """How the cashier gives a redeemed card's reward in the POS."""

    kind: str  # free_item or amount_off
    amount: Decimal | None
    message: str


@dataclass(frozen=True)
class RedemptionAnswer:
    redemption: Redemption
    discount: Discount


def redemption_answer(redemption: Redemption) -> RedemptionAnswer:
    program_card = redemption.card.program_card
    amount = program_card.discount_amount
    if program_card.reward_kind == RewardKind.DISCOUNT_ITEM and amount:
        discount = Discount("amount_off", amount, f"Take {amount:.2f} off {redemption.item}.")
    else:
        discount = Discount(
            "free_item",
            None,
            f"Ring up {redemption.item} at no charge (tax as your state requires).",
        )
    return RedemptionAnswer(redemption, discount)


@dataclass(frozen=True)
class Decision:
    """What the cashier's accept or decline of a coupon or point reward did."""

    decision: str  # accepted or declined
    message: str
    points_balance: int
    reward_id: str | None = None
    amount_off: Decimal | None = None
    points_spent: int = 0


@dataclass(frozen=True)
class ProductFilter:
    conditions: tuple[Condition, ...]
    sentence: str
