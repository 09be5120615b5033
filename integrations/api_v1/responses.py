"""What the API answers, for the OpenAPI document (and LinkSerializer renders a link)."""

from __future__ import annotations

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable, machine-readable error code.")
    message = serializers.CharField(help_text="What is wrong and what to do about it.")


class OwnerSerializer(serializers.Serializer):
    astro_id = serializers.IntegerField(source="pk", help_text="The pet owner's Astro id.")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    pos_customer_ids = serializers.ListField(
        child=serializers.CharField(), help_text="POS customers linked to this owner."
    )


class LinkSerializer(serializers.Serializer):
    pos_customer_id = serializers.CharField()
    astro_id = serializers.IntegerField(source="owner_id")
    linked_at = serializers.DateTimeField()


class CardSerializer(serializers.Serializer):
    card_id = serializers.CharField(help_text='The card id shown in Astro, e.g. "C0000042".')
    program = serializers.CharField()
    card = serializers.CharField(help_text="The program card (sub-program) name.")
    progress = serializers.CharField(help_text='Punches of purchases required, e.g. "5/12".')
    punches = serializers.IntegerField()
    purchases_required = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["open", "complete"])


class PointRewardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    points_required = serializers.IntegerField()
    description = serializers.CharField()
    available = serializers.BooleanField(help_text="True when the balance reaches it.")


class CouponSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    amount_off = serializers.DecimalField(max_digits=8, decimal_places=2)
    expires_at = serializers.DateTimeField(allow_null=True)
    reward_id = serializers.CharField(help_text="Print it on the receipt when applied.")
    is_used = serializers.BooleanField()


class OfferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["bogo", "dollars_off"])
    terms = serializers.CharField()
    ends_at = serializers.DateTimeField(allow_null=True)


class OfferAppliedSerializer(serializers.Serializer):
    offer_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["bogo", "dollars_off"])
    times = serializers.IntegerField()
    discount = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="Take this off the sale in the POS."
    )
    reward_id = serializers.CharField()


class LoyaltySerializer(serializers.Serializer):
    astro_id = serializers.IntegerField()
    name = serializers.CharField()
    cards = CardSerializer(many=True, help_text="Open and complete cards, alphabetical.")
    points_balance = serializers.IntegerField()
    point_rewards = PointRewardSerializer(many=True)
    coupons = CouponSerializer(many=True, help_text="Available coupons, to accept or decline.")
    offers = OfferSerializer(many=True, help_text="Offers the store runs now (applied by sales).")


class SaleLineOutSerializer(serializers.Serializer):
    line_id = serializers.CharField()
    outcome = serializers.CharField(help_text="punched, unknown, returned, reopen_requested")
    card_id = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class PunchedCardSerializer(serializers.Serializer):
    card_id = serializers.CharField()
    program = serializers.CharField()
    card = serializers.CharField()
    punches_added = serializers.IntegerField()
    progress = serializers.CharField()
    is_complete = serializers.BooleanField()


class SaleOutSerializer(serializers.Serializer):
    pos_sale_id = serializers.CharField()
    astro_id = serializers.IntegerField()
    completed_at = serializers.DateTimeField()
    cards = PunchedCardSerializer(many=True, help_text="Cards this sale punched.")
    cards_completed = serializers.ListField(child=serializers.CharField())
    lines = SaleLineOutSerializer(many=True)
    points_earned = serializers.IntegerField()
    points_taken_back = serializers.IntegerField()
    points_balance = serializers.IntegerField()
    point_rewards = PointRewardSerializer(many=True, help_text="For the cashier to offer.")
    coupons = CouponSerializer(many=True, help_text="For the cashier to accept or decline.")
    offers_applied = OfferAppliedSerializer(many=True, help_text="Applied by themselves.")


class SaleNotLinkedSerializer(serializers.Serializer):
    recorded = serializers.BooleanField()
    message = serializers.CharField()


class InventoryOutSerializer(serializers.Serializer):
    codes = serializers.IntegerField(help_text="How many codes are stored.")
    matched_items = serializers.IntegerField(help_text="How many of them are Astro items.")


class ItemSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    upc = serializers.CharField()
    item_number = serializers.CharField()
    description = serializers.CharField()
    size = serializers.CharField()
    list_price = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)


class RedeemableCardSerializer(CardSerializer):
    reward_kind = serializers.CharField()
    items = ItemSerializer(many=True, help_text="What this card may be redeemed with.")


class DiscountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["free_item", "amount_off"])
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, help_text="For amount_off."
    )
    message = serializers.CharField(help_text="What the cashier does in the POS.")


class RedemptionOutSerializer(serializers.Serializer):
    reward_id = serializers.CharField(help_text="Print it on the receipt.")
    card_id = serializers.CharField()
    item = ItemSerializer()
    discount = DiscountSerializer()
    redeemed_at = serializers.DateTimeField()


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
