"""The distributor report outbox (SPEC §6): one row per report to send, written with the event."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .credits import DeclineReason


class ReportKind(models.TextChoices):
    REDEMPTION = "redemption", "Redemption"
    REOPEN_REQUEST = "reopen_request", "Reopen request"
    OFFER_REDEMPTION = "offer_redemption", "Offer redemption"
    # SPEC §3 Undo: a correction of a report already sent (Remove Only, or Remove and Reselect).
    CANCEL = "cancel", "Correction: cancel"
    CANCEL_AND_REPLACE = "cancel_replace", "Correction: cancel and replace"


class ReportState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # SPEC §3 Undo: the redemption was undone before its report went out; it is never sent.
    WITHDRAWN = "withdrawn", "Withdrawn (never sent)"
    # SPEC §6: the distributor's answer to a delivered claim (loyalty/models/credits.py keeps
    # each change). A declined claim, corrected, goes out again as its next revision and reads
    # "resubmitted" once delivered.
    CREDITED = "credited", "Credited"
    DECLINED = "declined", "Declined"
    RESUBMITTED = "resubmitted", "Resubmitted"


# Every state of a report the receiver has acknowledged (it answered 2xx at least once): sent,
# and everything the distributor's answers can move it to after. A resubmission waiting for
# its own send is pending again, though its earlier revision was acknowledged.
DELIVERED_STATES = frozenset(
    {ReportState.SENT, ReportState.CREDITED, ReportState.DECLINED, ReportState.RESUBMITTED}
)
# Delivered, and the distributor has not answered the current revision yet.
AWAITING_ANSWER_STATES = frozenset({ReportState.SENT, ReportState.RESUBMITTED})


def is_sent_or_later(state: str) -> bool:
    """Whether a report in `state` reached the receiver (see DELIVERED_STATES)."""
    return state in DELIVERED_STATES


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
    # A card's redemption (and, for a reopen request, the redemption it reopens), or else an
    # offer applied to a sale: the check constraint below keeps the kinds apart.
    redemption = models.ForeignKey(
        "loyalty.Redemption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    reopen_request = models.ForeignKey(
        "loyalty.ReopenRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    offer_redemption = models.ForeignKey(
        "loyalty.OfferRedemption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    # A correction (SPEC §3 Undo) names the sent report it corrects; its redemption is the undone
    # one (cancel) or the one that replaces it (cancel and replace).
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    state = models.CharField(
        max_length=12, choices=ReportState.choices, default=ReportState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the next send may run; a retry after a transient failure moves it forward.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # SPEC §6 credit status: 0 for the first send; each resubmission of a corrected claim is
    # the next revision, sent with its own Idempotency-Key (see `idempotency_key`).
    revision = models.PositiveIntegerField(default=0)
    decline_reason = models.CharField(max_length=30, blank=True, choices=DeclineReason.choices)
    decline_note = models.CharField(max_length=500, blank=True)
    # What the distributor credited (its answer's amount, else the claim's value).
    credit_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # A resubmission's corrected free item, sent instead of the redemption's own.
    corrected_item = models.ForeignKey(
        "loyalty.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # DESIGN.md §7: a report is written once per event and distributor.
            models.UniqueConstraint(
                fields=["redemption", "distributor"],
                condition=Q(reopen_request__isnull=True, corrects__isnull=True),
                name="one_redemption_report_per_distributor",
            ),
            # A sent report is corrected once, however often Undo is pressed at once (a
            # correction withdrawn before it went out leaves room for the one that replaces it).
            models.UniqueConstraint(
                fields=["corrects"],
                condition=Q(corrects__isnull=False) & ~Q(state="withdrawn"),
                name="one_correction_per_report",
            ),
            models.UniqueConstraint(
                fields=["reopen_request", "distributor"],
                condition=Q(reopen_request__isnull=False),
                name="one_reopen_report_per_distributor",
            ),
            models.UniqueConstraint(
                fields=["offer_redemption", "distributor"],
                condition=Q(offer_redemption__isnull=False),
                name="one_offer_report_per_distributor",
            ),
            # A report is about a card's redemption (a reopen request adds its request) or an
            # offer, never both and never neither; only an offer report has the offer kind.
            models.CheckConstraint(
                condition=Q(
                    redemption__isnull=False,
                    offer_redemption__isnull=True,
                )
                & ~Q(kind="offer_redemption")
                | Q(
                    redemption__isnull=True,
                    reopen_request__isnull=True,
                    offer_redemption__isnull=False,
                    kind="offer_redemption",
                ),
                name="report_is_about_a_redemption_or_an_offer",
            ),
        ]
        indexes = [
            # The catch-up sweep: due pending reports, oldest first.
            models.Index(
                fields=["next_attempt_at", "created_at"],
                condition=Q(state="pending"),
                name="report_due_idx",
            ),
            # The sweep's claim walks pending rows oldest first and stops at the first due,
            # unlocked one, instead of sorting the whole backlog for every report it sends.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(state="pending"),
                name="report_oldest_pending_idx",
            ),
            models.Index(fields=["retailer", "state", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} report {self.id}"

    @property
    def idempotency_key(self) -> str:
        """The first send's key is the report's id (as it always was); a resubmission is a new
        claim to the receiver, so it carries "<id>.r<revision>", and a repeat of that send is
        still dropped there."""
        return str(self.id) if not self.revision else f"{self.id}.r{self.revision}"
