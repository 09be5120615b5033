"""Pre-Paid Membership and Cash Back: the custom program kinds that are not punch cards."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .tenancy import PointsBasis


class PrepaidPlan(models.Model):
    """SPEC §2: the owner pre-pays N visits and gets bonus visits; each use draws one down."""

    program = models.OneToOneField(
        "loyalty.Program", on_delete=models.CASCADE, related_name="prepaid_plan"
    )
    visits = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    bonus_visits = models.PositiveSmallIntegerField(default=0)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    visit_description = models.CharField(max_length=200, help_text="What one visit is.")

    def __str__(self) -> str:
        return f"{self.visits} + {self.bonus_visits} visits for {self.price}"


class PrepaidPackage(models.Model):
    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        "loyalty.PetOwner", on_delete=models.CASCADE, related_name="prepaid_packages"
    )
    plan = models.ForeignKey(PrepaidPlan, on_delete=models.PROTECT, related_name="packages")
    visits_total = models.PositiveSmallIntegerField()
    visits_used = models.PositiveSmallIntegerField(default=0)
    sold_by = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sold_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(visits_used__lte=models.F("visits_total")),
                name="prepaid_never_overdrawn",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visits_left} of {self.visits_total} visits left"

    @property
    def visits_left(self) -> int:
        return self.visits_total - self.visits_used


class PrepaidUse(models.Model):
    """One visit drawn down from a package: the history behind its balance."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    package = models.ForeignKey(PrepaidPackage, on_delete=models.CASCADE, related_name="uses")
    visit = models.ForeignKey(
        "loyalty.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    used_by = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["used_at", "id"]
        indexes = [models.Index(fields=["retailer", "used_at"])]

    def __str__(self) -> str:
        return f"Visit used {self.used_at:%Y-%m-%d}"


class CashBackPlan(models.Model):
    program = models.OneToOneField(
        "loyalty.Program", on_delete=models.CASCADE, related_name="cash_back_plan"
    )
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0.01), MaxValueValidator(100)],
    )
    basis = models.CharField(max_length=10, choices=PointsBasis.choices, default="subtotal")
    purchases_required = models.PositiveSmallIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.percent}% cash back"


class CashBackEntry(models.Model):
    """An accrual (positive) or a redemption (negative) of cash back for one owner."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        "loyalty.PetOwner", on_delete=models.CASCADE, related_name="cash_back_entries"
    )
    plan = models.ForeignKey(CashBackPlan, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    purchase_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    visit = models.ForeignKey(
        "loyalty.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "loyalty.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "cash back entries"
        indexes = [models.Index(fields=["retailer", "created_at"])]

    def __str__(self) -> str:
        return f"{self.amount} cash back"
