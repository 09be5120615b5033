"""Programs and their cards, distributors and enrollments (SPEC §2)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from loyalty.rules.free_goods import FIXED_LIST, RULE_CHOICES

from .encrypted import EncryptedTextField


class ProgramKind(models.TextChoices):
    MANUFACTURER = "manufacturer", "Manufacturer frequent buyer"
    OFFER = "offer", "Manufacturer offer"
    BUY_X_GET_Y = "buy_x_get_y", "Buy X Get Y"
    PREPAID = "prepaid", "Pre-Paid Membership"
    CASH_BACK = "cash_back", "Cash Back"


# SPEC §2/§6: manufacturer programs and offers go to distributors; custom programs never do.
PLATFORM_KINDS = (ProgramKind.MANUFACTURER, ProgramKind.OFFER)
CUSTOM_KINDS = (ProgramKind.BUY_X_GET_Y, ProgramKind.PREPAID, ProgramKind.CASH_BACK)


class Program(models.Model):
    kind = models.CharField(max_length=20, choices=ProgramKind.choices)
    name = models.CharField(max_length=200)
    # Owner of a custom program; platform programs belong to nobody.
    retailer = models.ForeignKey(
        "loyalty.Retailer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="custom_programs",
    )
    manufacturer = models.ForeignKey(
        "loyalty.Manufacturer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
    )
    brand = models.ForeignKey(
        "loyalty.Brand", on_delete=models.PROTECT, null=True, blank=True, related_name="programs"
    )
    category = models.CharField(max_length=100, blank=True)
    pet_type = models.CharField(max_length=50, blank=True)
    fulfillment_option = models.CharField(max_length=100, blank=True)
    terms = models.TextField(blank=True)
    description = models.TextField(blank=True)
    picture = models.ImageField(upload_to="programs/", blank=True)
    is_active = models.BooleanField(default=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PLATFORM_KINDS, retailer__isnull=True)
                | Q(kind__in=CUSTOM_KINDS, retailer__isnull=False),
                name="custom_programs_have_an_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_reportable(self) -> bool:
        return self.kind in PLATFORM_KINDS


class RewardKind(models.TextChoices):
    FREE_ITEM = "free_item", "Free item"
    DISCOUNT_ITEM = "discount_item", "Discount item"


class ProgramCard(models.Model):
    """A sub-program: buy N qualifying items, redeem one of the redeemable items."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cards")
    name = models.CharField(max_length=200)
    purchases_required = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    free_good_rule = models.CharField(max_length=30, choices=RULE_CHOICES, default=FIXED_LIST)
    reward_kind = models.CharField(
        max_length=20, choices=RewardKind.choices, default=RewardKind.FREE_ITEM
    )
    discount_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    qualifying_items = models.ManyToManyField(
        "loyalty.Item", related_name="qualifying_for", blank=True
    )
    redeemable_items = models.ManyToManyField(
        "loyalty.Item", related_name="redeemable_for", blank=True
    )
    requires_email = models.BooleanField(default=False)
    requires_address = models.BooleanField(default=False)
    # Card windows: a card must be completed within this many months of its first punch, or it
    # expires (blank: no limit). A manufacturer's rule such as "complete within 18 months".
    completion_window_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Months from a card's first punch to complete it; blank for no limit.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purchases_required__gte=1), name="card_needs_a_purchase"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeliveryMethod(models.TextChoices):
    HTTPS = "https", "HTTPS (signed JSON)"
    EMAIL = "email", "Email (CSV attachment)"
    HOLD = "hold", "Hold (no delivery yet)"


class Distributor(models.Model):
    name = models.CharField(max_length=200, unique=True)
    # SPEC §2: the placeholder chosen when the retailer's real distributor is not listed.
    is_temporary_holding = models.BooleanField(default=False)
    delivery_method = models.CharField(
        max_length=10, choices=DeliveryMethod.choices, default=DeliveryMethod.HOLD
    )
    endpoint_url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    # Encrypted at rest (issue 13): with it anyone could sign reports as Astro.
    signing_secret = EncryptedTextField(blank=True)
    # SPEC §6: the distributor signs its credit-status callbacks with this one (a secret of
    # its own, so a leak of one direction cannot forge the other); none refuses them all.
    callback_secret = EncryptedTextField(blank=True)
    programs = models.ManyToManyField(Program, related_name="distributors", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_temporary_holding"],
                condition=Q(is_temporary_holding=True),
                name="one_temporary_holding_distributor",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    """A retailer (or one of its locations) enrolled in a manufacturer program."""

    retailer = models.ForeignKey(
        "loyalty.Retailer", on_delete=models.CASCADE, related_name="enrollments"
    )
    # Null: the whole retailer; set: one location of a multi-location account.
    location = models.ForeignKey(
        "loyalty.Location",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    distributor = models.ForeignKey(
        Distributor, on_delete=models.PROTECT, related_name="enrollments"
    )
    account_number = models.CharField(max_length=100, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["retailer", "program"],
                condition=Q(location__isnull=True),
                name="one_enrollment_per_retailer_program",
            ),
            models.UniqueConstraint(
                fields=["location", "program"],
                condition=Q(location__isnull=False),
                name="one_enrollment_per_location_program",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.retailer} in {self.program}"
