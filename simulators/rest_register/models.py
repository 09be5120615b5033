"""The register's own data, as a fully integrated POS keeps it: its store and Astro settings,
catalog with stock, customers with their Astro mapping, sales, and the queue of what it owes
Astro. Nothing here is Astro's: the register knows Astro only through its REST API."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q

CENTS = Decimal("0.01")
# Where the client goes while Astro is switched "unreachable": the discard port on loopback,
# which refuses every connection at once (a real network failure, not a pretend one).
UNREACHABLE_API_BASE = "http://127.0.0.1:9/api/v1/"


class RegisterStore(models.Model):
    """One store's register and how it reaches Astro (its own API key, SPEC §1 API users)."""

    name = models.CharField(max_length=100)
    address = models.CharField(max_length=200, blank=True)
    # Printed in sale ids ("UPT-000042"), so two stores' sales never share an id in Astro.
    code = models.CharField(max_length=10, unique=True)
    astro_api_base = models.URLField(max_length=300, help_text="e.g. https://astro/api/v1/")
    api_username = models.CharField(max_length=100)
    api_key = models.CharField(max_length=200)
    # The demo's and tests' switch: point the client at a dead address (Astro unreachable).
    astro_unreachable = models.BooleanField(default=False)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.0825"))

    def __str__(self) -> str:
        return self.name

    @property
    def client_api_base(self) -> str:
        return UNREACHABLE_API_BASE if self.astro_unreachable else self.astro_api_base


class Product(models.Model):
    """An item the store sells; `stock` decides what a complete card may be redeemed with."""

    store = models.ForeignKey(RegisterStore, on_delete=models.CASCADE, related_name="products")
    description = models.CharField(max_length=200)
    brand = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=100, blank=True)
    upc = models.CharField(max_length=20, blank=True)
    item_number = models.CharField(max_length=100, blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.IntegerField(default=0)

    class Meta:
        ordering = ["description", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def code(self) -> str:
        return self.upc or self.item_number


class Customer(models.Model):
    """A customer of the POS. `astro_id` is set once mapped to an Astro pet owner (seed 003);
    the last loyalty and redeemable answers are kept to show while Astro is unreachable."""

    store = models.ForeignKey(RegisterStore, on_delete=models.CASCADE, related_name="customers")
    number = models.CharField(max_length=40, help_text="The POS's customer id (sent to Astro).")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    astro_id = models.PositiveIntegerField(null=True, blank=True)
    loyalty_cache = models.JSONField(null=True, blank=True)
    redeemable_cache = models.JSONField(null=True, blank=True)
    cached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="register_customer_number")
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SaleState(models.TextChoices):
    OPEN = "open", "Open"
    PAID = "paid", "Paid"
    VOIDED = "voided", "Voided"


class Sale(models.Model):
    store = models.ForeignKey(RegisterStore, on_delete=models.CASCADE, related_name="sales")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="sales"
    )
    state = models.CharField(max_length=10, choices=SaleState.choices, default=SaleState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    # The sale's own time, sent to Astro as completed_at however late it is delivered.
    paid_at = models.DateTimeField(null=True, blank=True)
    tender = models.CharField(max_length=20, blank=True)
    # Why no offer is on the sale, when Astro could not be asked.
    offers_note = models.CharField(max_length=200, blank=True)
    # What Astro answered for the posted sale (points, cards punched), for the receipt.
    astro_answer = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Sale {self.pos_sale_id}"

    @property
    def pos_sale_id(self) -> str:
        return f"{self.store.code}-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.state == SaleState.OPEN


class SaleLine(models.Model):
    """A product on the sale. A reward line is the free item of a redemption: it is on the
    receipt at its price (taxed in full) and never sent to Astro as a purchase."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.IntegerField(default=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    is_reward = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"

    @property
    def amount(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(CENTS)


class RewardKind(models.TextChoices):
    OFFER = "offer", "Offer"
    COUPON = "coupon", "Coupon"
    POINT_REWARD = "point_reward", "Point reward"
    REDEMPTION = "redemption", "Frequent buyer reward"


class Decision(models.TextChoices):
    ASKED = "", "Not decided"
    APPLY = "apply", "Applied"
    DECLINE = "decline", "Declined"


class SaleReward(models.Model):
    """An Astro discount on the sale: an offer (applied by itself), a coupon or point reward
    (the cashier's decision), or a complete card redeemed with a reward line."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="rewards")
    kind = models.CharField(max_length=20, choices=RewardKind.choices)
    # Astro's id of what is applied: offer id, coupon id, point reward id or card id.
    astro_ref = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    # Redemptions: the Astro item and the reward line on the sale.
    astro_item_id = models.PositiveIntegerField(null=True, blank=True)
    line = models.OneToOneField(
        SaleLine, on_delete=models.CASCADE, null=True, blank=True, related_name="reward"
    )
    # Set from Astro's answer once delivered; printed on the receipt (seed 003).
    reward_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sale", "kind", "astro_ref"], name="register_reward_once_per_sale"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def is_discount(self) -> bool:
        return self.kind == RewardKind.OFFER or self.decision == Decision.APPLY


class EntryState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    REFUSED = "refused", "Refused by Astro"


class OutboxEntry(models.Model):
    """One request the register owes Astro, sent in order (pk) with its own Idempotency-Key,
    so a send repeated after a lost answer is answered once (Celerant's scheduled task)."""

    store = models.ForeignKey(RegisterStore, on_delete=models.CASCADE, related_name="outbox")
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="outbox")
    reward = models.OneToOneField(
        SaleReward, on_delete=models.CASCADE, null=True, blank=True, related_name="entry"
    )
    path = models.CharField(max_length=200, help_text="Relative to the API base.")
    body = models.JSONField(default=dict)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True)
    state = models.CharField(max_length=10, choices=EntryState.choices, default=EntryState.PENDING)
    queued_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    replayed = models.BooleanField(default=False)
    answer = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["store", "id"],
                name="register_outbox_pending",
                condition=Q(state="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.path} for {self.sale}"
