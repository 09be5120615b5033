"""Coupons and point rewards the cashier is prompted for, and complete cards redeemed onto the
sale (Celerant, seed 000: offers apply by themselves, coupons and point rewards are prompted;
Pinogy, seed 003: the redeemable items are limited to the store's inventory).

Nothing here tells Astro yet: what the cashier chose is sent when the sale is paid (outbox.py),
since only finalized sales count."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from .customers import AstroTab
from .models import Decision, RewardKind, Sale, SaleLine, SaleReward
from .sales import RegisterError, check_open, find_product

PROMPTED = (RewardKind.COUPON, RewardKind.POINT_REWARD)
# "$5 off any purchase" -> 5: the amount a point reward's name promises, for the prompt.
AMOUNT_IN_NAME = re.compile(r"\$(\d+(?:\.\d{1,2})?)")


def ask_prompts(sale: Sale, tab: AstroTab) -> list[SaleReward]:
    """Put each coupon and point reward the customer may use on the sale, once, undecided;
    returns the ones still waiting for the cashier."""
    check_open(sale)
    if tab.is_live:
        loyalty = tab.loyalty
        for coupon in loyalty["coupons"]:
            if not coupon["is_used"]:
                _ask(sale, RewardKind.COUPON, coupon["id"], coupon["name"], coupon["amount_off"])
        for reward in loyalty["point_rewards"]:
            if reward["available"]:
                name = f"{reward['name']} ({reward['points_required']} points)"
                _ask(sale, RewardKind.POINT_REWARD, reward["id"], name, _promised(reward["name"]))
    return undecided(sale)


def undecided(sale: Sale) -> list[SaleReward]:
    return list(sale.rewards.filter(kind__in=PROMPTED, decision=Decision.ASKED))


def _ask(sale: Sale, kind: str, ref: int, name: str, amount) -> None:
    SaleReward.objects.get_or_create(
        sale=sale,
        kind=kind,
        astro_ref=str(ref),
        defaults={"name": name, "amount": Decimal(str(amount))},
    )


def _promised(name: str) -> Decimal:
    found = AMOUNT_IN_NAME.search(name)
    return Decimal(found.group(1)) if found else Decimal("0")


def decide(reward: SaleReward, decision: str, amount: str | None = None) -> SaleReward:
    """The cashier's Apply or Not this time; a point reward's discount may be typed in."""
    check_open(reward.sale)
    if reward.kind not in PROMPTED or decision not in (Decision.APPLY, Decision.DECLINE):
        raise RegisterError("Choose Apply or Not this time.")
    if reward.kind == RewardKind.POINT_REWARD and decision == Decision.APPLY and amount:
        reward.amount = _amount(amount)
    reward.decision = decision
    reward.save(update_fields=["decision", "amount"])
    return reward


def _amount(typed: str) -> Decimal:
    try:
        value = Decimal(typed.strip().lstrip("$"))
    except InvalidOperation:
        raise RegisterError("Type the discount in dollars, like 5.00.") from None
    if not value.is_finite() or value < 0 or value > Decimal("10000"):
        raise RegisterError("Type a discount from 0.00 to 10,000.00.")
    return value.quantize(Decimal("0.01"))


def find_redeemable(tab: AstroTab, card_id: str) -> dict:
    for card in tab.redeemable or []:
        if card["card_id"] == card_id:
            return card
    raise RegisterError(f"Card {card_id} is not ready to redeem for this customer.")


def redeem_onto_sale(sale: Sale, tab: AstroTab, card_id: str, item_id: int) -> SaleReward:
    """The free (or discounted) item goes on the sale at its price with the reward as a
    discount, so the tax is on the full price; Astro hears of it when the sale is paid."""
    check_open(sale)
    card = find_redeemable(tab, card_id)
    item = next((i for i in card["items"] if i["item_id"] == item_id), None)
    if item is None:
        raise RegisterError("That item cannot be chosen for this card (or it is not in stock).")
    product = find_product(sale.store, item["upc"] or item["item_number"])
    if product.stock <= 0:
        raise RegisterError(f"{product} is out of stock: choose another item.")
    amount = product.price
    if card["reward_kind"] == "discount_item" and card.get("discount_amount"):
        amount = min(Decimal(card["discount_amount"]), product.price)
    try:
        with transaction.atomic():
            line = SaleLine.objects.create(
                sale=sale, product=product, unit_price=product.price, is_reward=True
            )
            return SaleReward.objects.create(
                sale=sale,
                kind=RewardKind.REDEMPTION,
                astro_ref=card_id,
                name=f"{card['program']} (card {card_id})",
                amount=amount,
                decision=Decision.APPLY,
                astro_item_id=item_id,
                line=line,
            )
    except IntegrityError:
        raise RegisterError(f"Card {card_id} is already redeemed on this sale.") from None
