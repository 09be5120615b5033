"""The distributor's answers to a claim (SPEC §6 credit status): the reasons, and the history."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class DeclineReason(models.TextChoices):
    """The distributors' denial reasons (research notes §4, POS-report processing)."""

    INSUFFICIENT_QUANTITY = "insufficient_purchase_quantity", "Insufficient Purchase Quantity"
    INELIGIBLE_PROGRAM = "ineligible_program", "Ineligible Program"
    MULTIPLE_BRANDS = "multiple_brands_on_the_card", "Multiple Brands on the Card"
    ITEM_NOT_IN_PROGRAM = "item_not_in_program", "Item Not In Program"
    INELIGIBLE_SIZE = "ineligible_free_good_size", "Ineligible Free Good Size"
    OTHER = "other", "Other"


class AnswerSource(models.TextChoices):
    CALLBACK = "callback", "Distributor callback"
    FILE = "file", "Credit file upload"
    ADMIN = "admin", "Store admin"


class ReportStatusChange(models.Model):
    """One change of a report's credit status, when, and who said so. Rows are only added."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        "loyalty.DistributorReport", on_delete=models.CASCADE, related_name="status_changes"
    )
    # The distributor whose event id this is (the idempotency scope of its callbacks).
    distributor = models.ForeignKey(
        "loyalty.Distributor", on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    revision = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=30, blank=True, choices=DeclineReason.choices)
    note = models.CharField(max_length=500, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=10, choices=AnswerSource.choices)
    # The distributor's own event id (callbacks) and a hash of the body that carried it.
    event_id = models.CharField(max_length=200, blank=True)
    body_sha256 = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            # A callback repeated (the distributor's retry) is applied once, however many
            # arrive at the same moment.
            models.UniqueConstraint(
                fields=["distributor", "event_id"],
                condition=~Q(event_id=""),
                name="one_change_per_distributor_event",
            )
        ]
        indexes = [models.Index(fields=["retailer", "at"])]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_state} → {self.to_state}"
