"""Pet owners, their pets and their links to POS customers (SPEC §3)."""

import re
import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse

from loyalty.contracts.registry import pos_system_choices

SALLY_FIRST_NAME = "Sally"
SALLY_LAST_NAME = "Pet Owner"


def new_card_key() -> str:
    """The random part of an owner's card page link (SPEC §8); a new one kills the old link."""
    return secrets.token_urlsafe(12)


def phone_digits(phone: str) -> str:
    """Digits only, so '(555) 010-2233' and '555.010.2233' search alike (SPEC §3)."""
    return re.sub(r"\D", "", phone or "")


class PetOwner(models.Model):
    retailer = models.ForeignKey(
        "loyalty.Retailer", on_delete=models.CASCADE, related_name="pet_owners"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    email_normalized = models.CharField(max_length=254, blank=True, editable=False)
    phone = models.CharField(max_length=30, blank=True)
    phone_digits = models.CharField(max_length=30, blank=True, editable=False)
    address_line = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    marketing_consent = models.BooleanField(default=False)
    # SPEC §8: consent to messages, per channel, with when and where it was given or withdrawn.
    email_consent = models.BooleanField("Agreed to messages by email", default=False)
    email_consent_at = models.DateTimeField(null=True, blank=True)
    email_consent_source = models.CharField(max_length=100, blank=True)
    sms_consent = models.BooleanField("Agreed to text messages (SMS)", default=False)
    sms_consent_at = models.DateTimeField(null=True, blank=True)
    sms_consent_source = models.CharField(max_length=100, blank=True)
    # SPEC §3: Sally Pet Owner is a test account; nothing of hers is ever reported.
    is_test = models.BooleanField(default=False)
    # A duplicate merged into another owner keeps its row (audit trail) but leaves every list.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_duplicates"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # SPEC §8: the private card page's link carries this key, signed; blank: the link is off.
    card_key = models.CharField(max_length=32, blank=True, default=new_card_key, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            # Search answers in name order: the LIMIT stops early even when most owners match.
            models.Index(fields=["retailer", "last_name", "first_name"]),
            models.Index(fields=["retailer", "email_normalized"]),
            models.Index(fields=["retailer", "phone_digits"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["retailer"], condition=Q(is_test=True), name="one_test_owner_per_retailer"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.email_normalized = (self.email or "").strip().lower()
        self.phone_digits = phone_digits(self.phone)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("owner_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def has_address(self) -> bool:
        return bool(self.address_line and self.city and self.postal_code)


class Pet(models.Model):
    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(PetOwner, on_delete=models.CASCADE, related_name="pets")
    name = models.CharField(max_length=100)
    species = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return self.name


class PosLink(models.Model):
    """(retailer, POS system, POS customer id) maps to exactly one pet owner (SPEC §3)."""

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    pos_system = models.CharField(max_length=20, choices=pos_system_choices)
    pos_customer_id = models.CharField(max_length=100)
    owner = models.ForeignKey(PetOwner, on_delete=models.CASCADE, related_name="pos_links")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["retailer", "pos_system", "pos_customer_id"], name="one_link_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_pos_system_display()} customer {self.pos_customer_id}"
