"""The books' own records: the last reconciliation runs, what an admin sees of them."""

from django.db import models
from django.utils import timezone


class ReconcileRun(models.Model):
    """One run of reconcile for one retailer (the nightly task, the command or the screen)."""

    retailer = models.ForeignKey(
        "loyalty.Retailer", on_delete=models.CASCADE, related_name="reconcile_runs"
    )
    ran_at = models.DateTimeField(default=timezone.now)
    # "nightly", "command" or "screen": who asked.
    trigger = models.CharField(max_length=20)
    discrepancies = models.PositiveIntegerField(default=0)
    # Each discrepancy as reconcile names it: {"check", "message", "rows"}.
    findings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-ran_at", "-id"]
        indexes = [models.Index(fields=["retailer", "ran_at"])]

    def __str__(self) -> str:
        return f"Reconcile of {self.retailer_id} at {self.ran_at:%Y-%m-%d %H:%M}"

    @property
    def is_ok(self) -> bool:
        return self.discrepancies == 0
