"""POST /api/v1/sales/'s body, built in one pass from what the sale pipeline returned and one
read of the rows it left (`loyalty.selectors.sale_read`).

The body is `responses.SaleOutSerializer`'s rendering of `answers.sale_answer`, key for key and
format for format (`test_sale_answer.py` compares the two on the same sale): that pair read the
balance, the punched cards, the rewards and the coupons in four queries and rendered them
through nested serializers, a fifth of the request (issue 12, third pass)."""

from __future__ import annotations

from typing import Any

from loyalty.models.cards import CardStatus, card_number
from loyalty.selectors.sale_read import sale_rows
from loyalty.services.sales import SaleResult

from .loyalty_answer import coupon_json, money, reward_json, utc_text

# A punched card "is complete" once complete, or redeemed (CardProgress.is_complete).
COMPLETE = (CardStatus.COMPLETE, CardStatus.REDEEMED)


def sale_body(result: SaleResult, sale: dict[str, Any]) -> dict[str, Any]:
    visit = result.visit
    owner = visit.customer
    rows = sale_rows(
        retailer_id=visit.retailer_id,
        owner_id=owner.pk,
        owner_retailer_id=owner.retailer_id,
        card_ids=result.punches_by_card,
    )
    numbers = {row[0]: card_number(row[0]) for row in rows.cards}
    balance = rows.points_balance
    return {
        "pos_sale_id": str(sale["pos_sale_id"]),
        "astro_id": visit.owner_id,
        "completed_at": utc_text(sale["completed_at"]),
        "cards": [
            {
                "card_id": numbers[pk],
                "program": program,
                "card": card,
                "progress": f"{punches}/{required}",
                "punches_added": result.punches_by_card[pk],
                "is_complete": status in COMPLETE,
            }
            for pk, program, card, required, punches, status in rows.cards
        ],
        "cards_completed": [card_number(pk) for pk in sorted(result.completed_card_ids)],
        "lines": [
            {
                "line_id": str(line.pos_line_id),
                "outcome": str(line.outcome),
                "card_id": numbers.get(result.card_by_line.get(line.pk)),  # type: ignore[arg-type]
                "message": str(line.reason or line.get_outcome_display()),
            }
            for line in result.lines
        ],
        "points_earned": result.points_earned,
        "points_taken_back": result.points_taken_back,
        "points_balance": balance,
        # For the cashier to offer: the rewards the balance reaches.
        "point_rewards": [reward_json(row, balance) for row in rows.rewards if balance >= row[3]],
        "coupons": [coupon_json(row) for row in rows.coupons],
        "offers_applied": [
            {
                "offer_id": applied.offer_id,
                "name": applied.offer.name,
                "kind": applied.offer.kind,
                "times": applied.times,
                "discount": money(applied.discount),
                "reward_id": applied.reward_id,
            }
            for applied in result.offers
        ],
    }
