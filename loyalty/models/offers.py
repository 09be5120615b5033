"""Manufacturer offers applied within one visit, and coupons held by a pet owner (SPEC §2)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .redemptions import new_reward_id


class OfferKind(models.TextChoices):
    BOGO = "bogo", "Buy one, get one free"
    DOLLARS_OFF = "dollars_off", "Dollars off (rebate)"


class Offer(models.Model):
    """A manufacturer promotion. Through a full integration it applies by itself (SPEC §5)."""

    name = models.CharField(max_length=200)
    manufacturer = models.ForeignKey(
        "loyalty.Manufacturer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=OfferKind.choices)
    # BOGO: buy this many, get one more free; dollars off: buy this many, get amount_off.
    buy_quantity = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    amount_off = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_per_visit = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    qualifying_items = models.ManyToManyField("loyalty.Item", related_name="offers", blank=True)
    # The stores that run the offer (platform staff add them).
    retailers = models.ManyToManyField("loyalty.Retailer", related_name="offers", blank=True)
    terms = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="dollars_off") | Q(amount_off__gt=0),
                name="dollars_off_offer_has_an_amount",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OfferRedemption(models.Model):
    """An offer applied to a sale: once per offer and visit, recorded for the reports."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="redemptions")
    owner = models.ForeignKey(
        "loyalty.PetOwner", on_delete=models.CASCADE, related_name="offer_redemptions"
    )
    visit = models.ForeignKey("loyalty.Visit", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(
        "loyalty.Location", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    times = models.PositiveSmallIntegerField()
    discount = models.DecimalField(max_digits=10, decimal_places=2)
    reward_id = models.CharField(max_length=20, unique=True, default=new_reward_id)
    redeemed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["retailer", "redeemed_at"])]
        constraints = [
            models.UniqueConstraint(fields=["offer", "visit"], name="offer_once_per_visit")
        ]

    def __str__(self) -> str:
        return self.reward_id


class Coupon(models.Model):
    """SPEC §2: a one-time reward held by a pet owner; the cashier decides to apply it."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey("loyalty.PetOwner", on_delete=models.CASCADE, related_name="coupons")
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=300, blank=True)
    amount_off = models.DecimalField(max_digits=8, decimal_places=2)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Set once, by a conditional UPDATE: a coupon is used once even if accepted twice at once.
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_visit = models.ForeignKey(
        "loyalty.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    redeemed_location = models.ForeignKey(
        "loyalty.Location", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reward_id = models.CharField(max_length=20, unique=True, default=new_reward_id)

    class Meta:
        ordering = ["issued_at", "id"]
        indexes = [models.Index(fields=["owner", "redeemed_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_off__gt=0), name="coupon_has_an_amount")
        ]

    def __str__(self) -> str:
        return self.name

    def is_available(self, at=None) -> bool:
        at = at or timezone.now()
        return self.redeemed_at is None and (self.expires_at is None or self.expires_at > at)
