"""Retailers, their locations and their users (SPEC §1)."""

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from loyalty.contracts.registry import pos_system_choices
from loyalty.time_zones import validate_zone_name

# Blank: settings.TIME_ZONE (loyalty/time_zones.py picks the zone a request runs in).
ZONE_HELP = "The store's local time zone for screens, report days and CSV files."


class PointsBasis(models.TextChoices):
    SUBTOTAL = "subtotal", "Subtotal before tax and discounts"
    TOTAL = "total", "Sale total"


class PointsEvents(models.TextChoices):
    POS_SALES = "pos_sales", "Tethered to POS sales"
    MANUAL = "manual", "Manual only"


class Retailer(models.Model):
    name = models.CharField(max_length=200, unique=True)
    points_basis = models.CharField(
        max_length=10, choices=PointsBasis.choices, default=PointsBasis.SUBTOTAL
    )
    points_per_dollar = models.PositiveSmallIntegerField(default=1)
    # SPEC §2: points follow POS sales, or are only ever given by hand.
    points_events = models.CharField(
        max_length=10, choices=PointsEvents.choices, default=PointsEvents.POS_SALES
    )
    # SPEC §1: at most one POS integration enabled at a time, so it is one field.
    pos_integration = models.CharField(
        max_length=20, choices=pos_system_choices, default="", blank=True
    )
    time_zone = models.CharField(
        max_length=64, blank=True, validators=[validate_zone_name], help_text=ZONE_HELP
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # SPEC §8: the store's logo at the top of its pet owners' card pages.
    logo = models.ImageField(upload_to="logos/", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def new_button_token() -> str:
    return secrets.token_urlsafe(24)


class Location(models.Model):
    retailer = models.ForeignKey(Retailer, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    pos_shop_id = models.CharField(max_length=50, blank=True)
    pos_return_url = models.URLField(blank=True)
    # The secret part of the POS button URL: knowing it names this location, nothing more.
    button_token = models.CharField(max_length=64, unique=True, default=new_button_token)
    # Only where this location's clock differs from the store's (blank: the store's zone).
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_zone_name])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["retailer", "name"], name="location_name_per_retailer")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    CASHIER = "cashier", "Cashier"


class User(AbstractUser):
    """A login. Retailer users have a role; platform staff have no retailer and use Django admin."""

    retailer = models.ForeignKey(
        Retailer, on_delete=models.CASCADE, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=10, choices=Role.choices, blank=True)
    home_location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(retailer__isnull=True, role="")
                | Q(retailer__isnull=False, role__in=["admin", "cashier"]),
                name="retailer_user_has_role",
            )
        ]

    @property
    def is_retail_admin(self) -> bool:
        return self.retailer_id is not None and self.role == Role.ADMIN

    @property
    def is_cashier(self) -> bool:
        return self.retailer_id is not None and self.role == Role.CASHIER
