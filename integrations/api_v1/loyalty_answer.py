"""GET /api/v1/links/{id}/loyalty's body, built in one pass from the read's plain rows.

The body is `responses.LoyaltySerializer`'s, key for key and format for format (the OpenAPI
document still names that serializer, and `test_loyalty_answer.py` compares the two on the same
owner); rendering it through DRF's nested serializers cost about a tenth of the request."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from loyalty.models.cards import card_number
from loyalty.selectors.loyalty_read import LinkedOwner, LoyaltyRows, utc

CENT = Decimal("0.01")


def money(value) -> str:
    """A DecimalField(decimal_places=2) as DRF renders it: "5.00"."""
    return format(Decimal(str(value)).quantize(CENT), "f")


def utc_text(value) -> str | None:
    """A UtcDateTimeField as DRF renders it: ISO 8601 in UTC, "Z" for "+00:00"."""
    if value is None:
        return None
    text = utc(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def loyalty_body(owner: LinkedOwner, rows: LoyaltyRows) -> dict[str, Any]:
    balance = owner.points_balance
    return {
        "astro_id": owner.owner_id,
        "name": f"{owner.first_name} {owner.last_name}".strip(),
        "cards": [
            {
                "card_id": card_number(pk),
                "program": program,
                "card": card,
                "progress": f"{punches}/{required}",
                "punches": int(punches),
                "purchases_required": required,
                "status": status,
            }
            for pk, program, card, required, punches, status in rows.cards
        ],
        "points_balance": balance,
        "point_rewards": [reward_json(row, balance) for row in rows.rewards],
        "coupons": [coupon_json(row) for row in rows.coupons],
        "offers": [
            {"id": pk, "name": name, "kind": kind, "terms": terms, "ends_at": utc_text(ends)}
            for pk, name, terms, kind, ends in rows.offers
        ],
    }


def reward_json(row: tuple, balance: int) -> dict[str, Any]:
    """PointRewardSerializer's body of a (id, name, description, points required) row."""
    pk, name, description, points = row
    return {
        "id": pk,
        "name": name,
        "points_required": points,
        "description": description,
        "available": balance >= points,
    }


def coupon_json(row: tuple) -> dict[str, Any]:
    """CouponSerializer's body of an available coupon's row."""
    pk, name, description, reward_id, amount, expires = row
    return {
        "id": pk,
        "name": name,
        "description": description,
        "amount_off": money(amount),
        "expires_at": utc_text(expires),
        "reward_id": reward_id,
        "is_used": False,  # only coupons not yet used are read
    }
