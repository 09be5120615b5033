"""What the API reads: request bodies and query strings. Help texts become the OpenAPI docs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from .fast_rows import FastRowList

MAX_LINES = 500
# Each unit of a punching line is its own punch row (SPEC §3: one row per punch), so the work
# of a sale grows with its units: 10 lines × 1,000 took 7.4 s (issue 13). 1,000 units in one
# sale is far past a pet store's largest order and keeps the slowest sale under a second.
MAX_UNITS = 1000
# SPEC §5: a queued sale may arrive days late; a year covers any outage a store can have.
OLDEST_SALE = timedelta(days=365)
# No pet store rings up more in one sale; beyond it the numbers are a mistake (and would
# overflow a points balance).
LARGEST_SALE = Decimal("1000000")


class CustomerInSerializer(serializers.Serializer):
    pos_customer_id = serializers.CharField(max_length=100, help_text="The POS's customer id.")
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    address_line = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    state = serializers.CharField(max_length=50, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    marketing_consent = serializers.BooleanField(required=False, default=False)


class EmailQuerySerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="Find pet owners with this email (any case).")


class LinkInSerializer(serializers.Serializer):
    astro_id = serializers.IntegerField(min_value=1, help_text="The pet owner to link to.")


class SaleLineSerializer(serializers.Serializer):
    line_id = serializers.CharField(max_length=100, help_text="The POS's id of this sale line.")
    upc = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    ean = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    item_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    brand = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    category = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    quantity = serializers.IntegerField(
        min_value=-1000, max_value=1000, help_text="Units sold; negative for a returned item."
    )
    unit_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, max_value=LARGEST_SALE
    )

    class Meta:
        list_serializer_class = FastRowList  # a sale's lines checked quicker, as DRF would

    def validate_quantity(self, value: int) -> int:
        if value == 0:
            raise serializers.ValidationError("Send 1 or more (or a negative number for a return).")
        return value


class SaleInSerializer(serializers.Serializer):
    pos_sale_id = serializers.CharField(max_length=100)
    pos_customer_id = serializers.CharField(max_length=100)
    completed_at = serializers.DateTimeField(
        help_text="When the sale was paid, with its time zone; a queued sale keeps its own time. "
        "Refused (400) if more than 5 minutes in the future or more than a year old."
    )
    subtotal = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=-LARGEST_SALE,
        max_value=LARGEST_SALE,
        help_text="Before tax and discounts.",
    )
    total = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=-LARGEST_SALE,
        max_value=LARGEST_SALE,
        help_text="What was paid.",
    )
    lines = SaleLineSerializer(
        many=True,
        allow_empty=False,
        max_length=MAX_LINES,
        help_text=f"At most {MAX_LINES} lines, and at most {MAX_UNITS:,} units in all (the sum "
        "of the quantities, returns counted as positive).",
    )

    def validate_completed_at(self, value):
        now = timezone.now()
        if value > now + timedelta(minutes=5):
            raise serializers.ValidationError(
                "This time is in the future. Send the time the sale was paid."
            )
        if value < now - OLDEST_SALE:
            raise serializers.ValidationError(
                "This sale is more than a year old; Astro takes sales of the past year only."
            )
        return value

    def validate_lines(self, lines: list[dict]) -> list[dict]:
        ids = [line["line_id"] for line in lines]
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError("Each line needs its own line_id.")
        units = sum(abs(line["quantity"]) for line in lines)
        if units > MAX_UNITS:
            raise serializers.ValidationError(
                f"The lines add up to {units:,} units; Astro takes at most {MAX_UNITS:,} units "
                "in one sale. Check the quantities, or post a larger order as several sales."
            )
        if sum(abs(line["quantity"]) * line["unit_price"] for line in lines) > LARGEST_SALE:
            raise serializers.ValidationError(
                "The lines add up to more than 1,000,000: check the quantities and prices."
            )
        return lines


class SaleQuoteInSerializer(serializers.Serializer):
    """An open sale's lines, to learn the offers it would get (nothing is recorded)."""

    completed_at = serializers.DateTimeField(
        required=False,
        help_text="When the sale would be paid, with its time zone; now if left out.",
    )
    lines = SaleLineSerializer(many=True, allow_empty=False, max_length=MAX_LINES)

    def validate_lines(self, lines: list[dict]) -> list[dict]:
        return SaleInSerializer.validate_lines(self, lines)


class InventoryQuerySerializer(serializers.Serializer):
    inventory = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Optional: comma-separated UPCs/item numbers in stock. Without it, the list "
        "last sent to PUT /api/v1/inventory/ limits the items (if any was sent).",
    )


class InventoryInSerializer(serializers.Serializer):
    codes = serializers.ListField(
        child=serializers.CharField(max_length=100),
        max_length=50000,
        help_text="Every UPC/EAN/item number the store stocks; replaces the last list.",
    )


class RedemptionInSerializer(serializers.Serializer):
    pos_customer_id = serializers.CharField(max_length=100)
    card_id = serializers.RegexField(
        r"^[Cc]?\d{1,12}$", help_text='The card id from the loyalty answer, e.g. "C0000042".'
    )
    item_id = serializers.IntegerField(min_value=1, help_text="An item_id from /redeemable.")
    pos_sale_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    inventory = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50000
    )
