"""Manufacturers, brands and items (SPEC §2)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from loyalty.presentation.text import item_name
from loyalty.rules.upc import describe_code_problem, gtin_key, item_number_key


class Manufacturer(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Brand(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="brands")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "name"], name="brand_per_manufacturer")
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """A product or service. Platform items have no retailer; custom-program items have one."""

    retailer = models.ForeignKey(
        "loyalty.Retailer", on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    description = models.CharField(max_length=300)
    size = models.CharField(max_length=50, blank=True)
    category = models.CharField(max_length=100, blank=True)
    # GTIN-14 form of the UPC/EAN, so UPC-A, EAN-13 and GTIN-14 compare equal (DESIGN.md).
    gtin = models.CharField(max_length=14, blank=True, db_index=True)
    item_number = models.CharField(max_length=100, blank=True)
    item_number_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    list_price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["description"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(gtin="") | ~Q(item_number=""), name="item_has_a_code"
            ),
            models.UniqueConstraint(
                fields=["gtin"],
                condition=Q(retailer__isnull=True) & ~Q(gtin=""),
                name="platform_item_gtin_unique",
            ),
            models.UniqueConstraint(
                fields=["retailer", "gtin"],
                condition=Q(retailer__isnull=False) & ~Q(gtin=""),
                name="retailer_item_gtin_unique",
            ),
        ]
        indexes = [
            # The sale's item look-up (selectors/matching.py) says its item numbers are not
            # empty: most items have none, so the column's own index looks, to a prepared
            # statement's plan, as if every item matched, and PostgreSQL read the whole table.
            models.Index(
                fields=["item_number_key"],
                condition=~Q(item_number_key=""),
                name="item_number_key_given",
            ),
        ]

    def __str__(self) -> str:
        return item_name(self.description, self.size)

    def save(self, *args, **kwargs) -> None:
        self.item_number_key = item_number_key(self.item_number)
        if self.gtin:
            self.gtin = gtin_key(self.gtin) or self.gtin
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # SPEC §2: a bad check digit, or an EAN where a UPC was expected, gets a clear hint.
        problem = describe_code_problem(self.gtin) if self.gtin else None
        if problem:
            raise ValidationError({"gtin": problem})

    @property
    def upc(self) -> str:
        """The code as a retailer reads it: 12-digit UPC-A when it has one, else the EAN/GTIN."""
        if not self.gtin:
            return ""
        if self.gtin.startswith("00"):
            return self.gtin[2:]
        return self.gtin[1:] if self.gtin.startswith("0") else self.gtin

    @property
    def code(self) -> str:
        return self.upc or self.item_number
