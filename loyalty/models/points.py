"""The loyalty points ledger: the balance is the sum of an owner's entries (SPEC §2)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PointsKind(models.TextChoices):
    EARNED = "earned", "Earned on a sale"
    RETURNED = "returned", "Taken back on a return"
    MANUAL = "manual", "Manual adjustment"
    REDEEMED = "redeemed", "Redeemed for a reward"


class PointReward(models.Model):
    """SPEC §2: a threshold of points the cashier may redeem for a reward."""

    retailer = models.ForeignKey(
        "loyalty.Retailer", on_delete=models.CASCADE, related_name="point_rewards"
    )
    name = models.CharField(max_length=200)
    points_required = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["points_required", "name"]
        constraints = [
            models.UniqueConstraint(fields=["retailer", "name"], name="point_reward_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.points_required} points)"


class PointsEntry(models.Model):
    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        "loyalty.PetOwner", on_delete=models.CASCADE, related_name="points_entries"
    )
    kind = models.CharField(max_length=10, choices=PointsKind.choices)
    points = models.IntegerField()
    visit = models.ForeignKey(
        "loyalty.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A point reward redeemed (SPEC §2): which one, and the reward id printed on the receipt.
    point_reward = models.ForeignKey(
        PointReward, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reward_id = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "created_at"])]
        constraints = [
            # A point reward is redeemed once per visit: a double click never takes points twice.
            models.UniqueConstraint(
                fields=["visit", "point_reward"],
                condition=Q(visit__isnull=False, point_reward__isnull=False),
                name="point_reward_once_per_visit",
            )
        ]
        verbose_name_plural = "points entries"

    def __str__(self) -> str:
        return f"{self.points:+d} points ({self.get_kind_display()})"
