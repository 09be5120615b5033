"""The REST API's own tables: credentials, idempotency records, store inventory, product filters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiCredential(models.Model):
    """A location's API user. The key is shown once; only its prefix and SHA-256 are kept.

    The key has 256 bits of randomness, so a fast hash is as safe as a slow one and keeps the
    password hasher off every API request (issue 6)."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(
        "loyalty.Location", on_delete=models.CASCADE, related_name="api_credentials"
    )
    username = models.CharField(max_length=60, unique=True)
    key_prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"API user {self.username}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first answer to a request that must happen once: a sale id or an Idempotency-Key.

    Written with the answer at the end of the request's transaction, so a concurrent repeat
    waits on the unique index (or on the rows the first one locked), finds it and replays the
    committed answer, its own work rolled back (DESIGN.md §7: uniqueness in the database)."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64)
    # The request as canonical JSON (sales), so a different body under the same sale id can be
    # told apart and what differed named (issue 13); empty on records from before.
    request = models.JSONField(default=dict, blank=True)
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["retailer", "key"], name="api_request_once")]

    def __str__(self) -> str:
        return self.key


class InventoryItem(models.Model):
    """A code the store stocks, as the POS last synced it; limits redeemable items (SPEC §3)."""

    location = models.ForeignKey(
        "loyalty.Location", on_delete=models.CASCADE, related_name="api_inventory"
    )
    code = models.CharField(max_length=100)
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "code"], name="inventory_code_once")
        ]

    def __str__(self) -> str:
        return self.code


class FilterField(models.TextChoices):
    BRAND = "brand", "Brand"
    CATEGORY = "category", "Category"
    UPC = "upc", "UPC"


class FilterOperator(models.TextChoices):
    EQUAL = "equal", "is"
    NOT_EQUAL = "not_equal", "is not"


class FilterJoin(models.TextChoices):
    NONE = "", "None"
    AND = "and", "AND"
    OR = "or", "OR"


class ProductFilterCondition(models.Model):
    """One condition of a location's product filter, joined to the one before it (SPEC §5)."""

    location = models.ForeignKey(
        "loyalty.Location", on_delete=models.CASCADE, related_name="product_filter"
    )
    position = models.PositiveSmallIntegerField()
    # How this condition joins the ones before it; the first condition has none.
    join = models.CharField(max_length=3, choices=FilterJoin.choices, blank=True)
    field = models.CharField(max_length=10, choices=FilterField.choices)
    operator = models.CharField(
        max_length=10, choices=FilterOperator.choices, default=FilterOperator.EQUAL
    )
    value = models.CharField(max_length=200)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "position"], name="filter_condition_position"
            ),
            models.CheckConstraint(
                condition=Q(position=0, join="") | (Q(position__gt=0) & ~Q(join="")),
                name="filter_join_after_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()} {self.get_operator_display()} {self.value}"
