"""What the API answers: every answer body is rendered by one of these, the same class the
operation's OpenAPI document names, so the document and the answers cannot drift apart.

They render model instances and the frozen dataclasses of `loyalty.selectors.loyalty_state`
and `answers.py`; `source=` says where each field comes from."""

from __future__ import annotations

from datetime import UTC

from rest_framework import serializers


class UtcDateTimeField(serializers.DateTimeField):
    """A time in UTC, "2026-03-01T17:04:05.123456Z", whatever the site's time zone: the POS
    has always been sent UTC times (the site's zone is the stores' local time)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(default_timezone=UTC, **kwargs)


class HasValueField(serializers.BooleanField):
    """True when the source attribute is set (a coupon's `redeemed_at` makes `is_used`)."""

    def get_attribute(self, instance) -> bool:
        return super().get_attribute(instance) is not None


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable, machine-readable error code.")
    message = serializers.CharField(help_text="What is wrong and what to do about it.")
    fields = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text='400: each field that is not valid and why, e.g. "lines[0].quantity"; 409 '
        "sale_id_reused: each field that differs from the sale first posted under that id.",
    )
    astro_id = serializers.IntegerField(
        required=False, help_text="409 already_linked only: the owner the customer is linked to."
    )
    retry_after_seconds = serializers.IntegerField(
        required=False, help_text="429 only: wait this many seconds, then retry."
    )


class OwnerSerializer(serializers.Serializer):
    astro_id = serializers.IntegerField(source="owner.pk", help_text="The pet owner's Astro id.")
    first_name = serializers.CharField(source="owner.first_name")
    last_name = serializers.CharField(source="owner.last_name")
    email = serializers.CharField(source="owner.email")
    phone = serializers.CharField(source="owner.phone")
    pos_customer_ids = serializers.ListField(
        child=serializers.CharField(), help_text="POS customers linked to this owner."
    )


class LinkSerializer(serializers.Serializer):
    pos_customer_id = serializers.CharField()
    astro_id = serializers.IntegerField(source="owner_id")
    linked_at = serializers.DateTimeField()


class CardSerializer(serializers.Serializer):
    card_id = serializers.CharField(
        source="card.card_number", help_text='The card id shown in Astro, e.g. "C0000042".'
    )
    program = serializers.CharField(source="card.program_card.program.name")
    card = serializers.CharField(
        source="card.program_card.name", help_text="The program card (sub-program) name."
    )
    progress = serializers.CharField(help_text='Punches of purchases required, e.g. "5/12".')
    punches = serializers.IntegerField()
    purchases_required = serializers.IntegerField()
    status = serializers.ChoiceField(source="card.status", choices=["open", "complete"])


class PointRewardSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="reward.pk")
    name = serializers.CharField(source="reward.name")
    points_required = serializers.IntegerField(source="reward.points_required")
    description = serializers.CharField(source="reward.description")
    available = serializers.BooleanField(
        source="is_available", help_text="True when the balance reaches it."
    )


class CouponSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    amount_off = serializers.DecimalField(max_digits=8, decimal_places=2)
    expires_at = UtcDateTimeField(allow_null=True)
    reward_id = serializers.CharField(help_text="Print it on the receipt when applied.")
    is_used = HasValueField(source="redeemed_at")


class OfferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["bogo", "dollars_off"])
    terms = serializers.CharField()
    ends_at = UtcDateTimeField(allow_null=True)


class OfferAppliedSerializer(serializers.Serializer):
    offer_id = serializers.IntegerField()
    name = serializers.CharField(source="offer.name")
    kind = serializers.ChoiceField(source="offer.kind", choices=["bogo", "dollars_off"])
    times = serializers.IntegerField()
    discount = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="Take this off the sale in the POS."
    )
    reward_id = serializers.CharField()


class LoyaltySerializer(serializers.Serializer):
    astro_id = serializers.IntegerField(source="owner.pk")
    name = serializers.CharField(source="owner.full_name")
    cards = CardSerializer(many=True, help_text="Open and complete cards, alphabetical.")
    points_balance = serializers.IntegerField()
    point_rewards = PointRewardSerializer(many=True)
    coupons = CouponSerializer(many=True, help_text="Available coupons, to accept or decline.")
    offers = OfferSerializer(many=True, help_text="Offers the store runs now (applied by sales).")


class SaleLineOutSerializer(serializers.Serializer):
    line_id = serializers.CharField(source="line.pos_line_id")
    outcome = serializers.CharField(
        source="line.outcome", help_text="punched, unknown, returned, reopen_requested"
    )
    card_id = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class PunchedCardSerializer(serializers.Serializer):
    card_id = serializers.CharField(source="card.card_number")
    program = serializers.CharField(source="card.program_card.program.name")
    card = serializers.CharField(source="card.program_card.name")
    progress = serializers.CharField()
    punches_added = serializers.IntegerField()
    is_complete = serializers.BooleanField()


class SaleOutSerializer(serializers.Serializer):
    # Renders a SaleAnswer: the posted sale, what the sale service did, what to offer next.

    pos_sale_id = serializers.CharField(source="sale.pos_sale_id")
    astro_id = serializers.IntegerField(source="result.visit.owner_id")
    completed_at = UtcDateTimeField(source="sale.completed_at")
    cards = PunchedCardSerializer(many=True, help_text="Cards this sale punched.")
    cards_completed = serializers.ListField(child=serializers.CharField())
    lines = SaleLineOutSerializer(many=True)
    points_earned = serializers.IntegerField(source="result.points_earned")
    points_taken_back = serializers.IntegerField(source="result.points_taken_back")
    points_balance = serializers.IntegerField()
    point_rewards = PointRewardSerializer(many=True, help_text="For the cashier to offer.")
    coupons = CouponSerializer(many=True, help_text="For the cashier to accept or decline.")
    offers_applied = OfferAppliedSerializer(
        many=True, source="result.offers", help_text="Applied by themselves."
    )


class OfferQuoteSerializer(serializers.Serializer):
    offer_id = serializers.IntegerField()
    name = serializers.CharField(source="offer.name")
    kind = serializers.ChoiceField(source="offer.kind", choices=["bogo", "dollars_off"])
    times = serializers.IntegerField(help_text="How many times the offer applies.")
    discount = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="Take this off the open sale."
    )
    line_ids = serializers.ListField(
        child=serializers.CharField(), help_text="The sale's lines that qualify for it."
    )


class SaleQuoteSerializer(serializers.Serializer):
    # Renders an offer_quotes.SaleQuote: what the open sale would get when paid.

    offers = OfferQuoteSerializer(many=True, help_text="Applied by themselves once posted.")
    discount_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    quoted_at = UtcDateTimeField(help_text="The time the offers were judged at.")


class SaleNotLinkedSerializer(serializers.Serializer):
    recorded = serializers.BooleanField()
    message = serializers.CharField()


class InventoryOutSerializer(serializers.Serializer):
    codes = serializers.IntegerField(help_text="How many codes are stored.")
    matched_items = serializers.IntegerField(help_text="How many of them are Astro items.")


class ItemSerializer(serializers.Serializer):
    item_id = serializers.IntegerField(source="pk")
    upc = serializers.CharField()
    item_number = serializers.CharField()
    description = serializers.CharField()
    size = serializers.CharField()
    list_price = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)


class RedeemableCardSerializer(CardSerializer):
    reward_kind = serializers.CharField(source="card.program_card.reward_kind")
    discount_amount = serializers.DecimalField(
        source="card.program_card.discount_amount",
        max_digits=8,
        decimal_places=2,
        allow_null=True,
        help_text="For a discount_item card: the amount to take off, shown before redeeming.",
    )
    items = ItemSerializer(many=True, help_text="What this card may be redeemed with.")


class DiscountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["free_item", "amount_off"])
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, help_text="For amount_off."
    )
    message = serializers.CharField(help_text="What the cashier does in the POS.")


class RedemptionOutSerializer(serializers.Serializer):
    # Renders a RedemptionAnswer: the redemption and what the cashier takes off.

    reward_id = serializers.CharField(
        source="redemption.reward_id", help_text="Print it on the receipt."
    )
    card_id = serializers.CharField(source="redemption.card.card_number")
    item = ItemSerializer(source="redemption.item")
    discount = DiscountSerializer()
    redeemed_at = UtcDateTimeField(source="redemption.redeemed_at")


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accepted", "declined"])
    message = serializers.CharField()
    reward_id = serializers.CharField(allow_null=True)
    amount_off = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    points_spent = serializers.IntegerField()
    points_balance = serializers.IntegerField()


class FilterConditionSerializer(serializers.Serializer):
    join = serializers.CharField(help_text='"", "and" or "or": how it joins the ones before.')
    field = serializers.ChoiceField(choices=["brand", "category", "upc"])
    operator = serializers.ChoiceField(choices=["equal", "not_equal"])
    value = serializers.CharField()


class ProductFilterSerializer(serializers.Serializer):
    conditions = FilterConditionSerializer(many=True, help_text="Read left to right; empty: all.")
    sentence = serializers.CharField(help_text="The filter in words, as the admin set it.")
