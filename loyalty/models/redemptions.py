"""Redemptions of complete cards and reopen requests after returns (SPEC §3)."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone


def new_reward_id() -> str:
    # Printed on receipts and read out over the phone: short, unambiguous characters.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "R-" + "".join(secrets.choice(alphabet) for _ in range(10))


class Redemption(models.Model):
    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    card = models.ForeignKey("loyalty.Card", on_delete=models.PROTECT, related_name="redemptions")
    item = models.ForeignKey("loyalty.Item", on_delete=models.PROTECT, related_name="+")
    reward_id = models.CharField(max_length=20, unique=True, default=new_reward_id)
    visit = models.ForeignKey(
        "loyalty.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    location = models.ForeignKey(
        "loyalty.Location", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cashier = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    redeemed_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    # SPEC §3 Undo: who undid it, and for Remove and Reselect the redemption it replaced.
    undone_by = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replacements"
    )

    class Meta:
        indexes = [models.Index(fields=["retailer", "redeemed_at"])]
        constraints = [
            # SPEC §3: a card is redeemed once, even when two cashiers press at the same moment.
            models.UniqueConstraint(
                fields=["card"], condition=Q(undone_at__isnull=True), name="card_redeemed_once"
            )
        ]

    def __str__(self) -> str:
        return self.reward_id


class ReopenRequest(models.Model):
    """A return of a purchase whose card was already redeemed: the distributor decides."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    redemption = models.ForeignKey(
        Redemption, on_delete=models.PROTECT, related_name="reopen_requests"
    )
    purchase = models.OneToOneField(
        "loyalty.Purchase", on_delete=models.PROTECT, related_name="reopen_request"
    )
    requested_by = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Reopen request for {self.redemption}"
