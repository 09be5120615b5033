"""The distributor report outbox (SPEC §6): one row per report to send, written with the event."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReportKind(models.TextChoices):
    REDEMPTION = "redemption", "Redemption"
    REOPEN_REQUEST = "reopen_request", "Reopen request"


class ReportState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class DistributorReport(models.Model):
    """A report to a distributor. Its id is the Idempotency-Key the receiver dedups on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    distributor = models.ForeignKey(
        "loyalty.Distributor", on_delete=models.PROTECT, related_name="reports"
    )
    # The store's account at the distributor when the report was written.
    account_number = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    redemption = models.ForeignKey(
        "loyalty.Redemption", on_delete=models.PROTECT, related_name="reports"
    )
    reopen_request = models.ForeignKey(
        "loyalty.ReopenRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    state = models.CharField(
        max_length=10, choices=ReportState.choices, default=ReportState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the next send may run; a retry after a transient failure moves it forward.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # DESIGN.md §7: a report is written once per event and distributor.
            models.UniqueConstraint(
                fields=["redemption", "distributor"],
                condition=Q(reopen_request__isnull=True),
                name="one_redemption_report_per_distributor",
            ),
            models.UniqueConstraint(
                fields=["reopen_request", "distributor"],
                condition=Q(reopen_request__isnull=False),
                name="one_reopen_report_per_distributor",
            ),
        ]
        indexes = [
            # The catch-up sweep: due pending reports, oldest first.
            models.Index(
                fields=["next_attempt_at", "created_at"],
                condition=Q(state="pending"),
                name="report_due_idx",
            ),
            models.Index(fields=["retailer", "state", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} report {self.id}"
