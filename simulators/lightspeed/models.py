"""Sandbox R-Series data: accounts, shops, OAuth tokens, customers, items, sales and lines."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone

# R-Series: the base leaky bucket holds 90 units and drips 1 per second (reference §2.2).
BUCKET_CAPACITY = 90.0
DRIP_RATE = 1.0
# R-Series: expires_in is 3600 in the overview (reference §2.1).
ACCESS_TOKEN_SECONDS = 3600


def new_token() -> str:
    return secrets.token_urlsafe(32)


class SandboxAccount(models.Model):
    """One R-Series account with its API client and leaky-bucket state."""

    account_id = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=100, blank=True)
    client_id = models.CharField(max_length=64, default=new_token)
    client_secret = models.CharField(max_length=64, default=new_token)
    # A long-lived bearer token for scripts and the demo; never expires.
    script_token = models.CharField(max_length=64, unique=True, default=new_token)
    # One-shot authorization_code grant; blank when none is pending.
    authorization_code = models.CharField(max_length=64, blank=True)
    bucket_capacity = models.FloatField(default=BUCKET_CAPACITY)
    drip_rate = models.FloatField(default=DRIP_RATE)
    bucket_level = models.FloatField(default=0.0)
    bucket_updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Sandbox account {self.account_id}"


class SandboxShop(models.Model):
    """A store of the account. `button_url` is what the retailer pasted under Settings → Custom
    Menus as the "Open web page" button (reference §1.1); R-Series keeps one account-wide button,
    the sandbox one per shop so each demo location gets its own Astro button URL."""

    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="shops")
    shop_id = models.CharField(max_length=16)
    name = models.CharField(max_length=100)
    button_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["account", "shop_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "shop_id"], name="sandbox_shop_id_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (shop {self.shop_id})"


class SandboxToken(models.Model):
    """An access/refresh pair; `revoked` means the refresh token was rotated away or revoked."""

    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="tokens")
    access_token = models.CharField(max_length=64, unique=True, default=new_token)
    refresh_token = models.CharField(max_length=64, unique=True, default=new_token)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Sandbox token for {self.account.account_id}"

    @classmethod
    def issue(cls, account: SandboxAccount) -> SandboxToken:
        expires_at = timezone.now() + timedelta(seconds=ACCESS_TOKEN_SECONDS)
        return cls.objects.create(account=account, expires_at=expires_at)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class SandboxCustomer(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="customers")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.CharField(max_length=200, blank=True)
    # Stored as a Mobile ContactPhone.
    phone = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SandboxItem(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="items")
    upc = models.CharField(max_length=14, blank=True)
    ean = models.CharField(max_length=14, blank=True)
    custom_sku = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))

    def __str__(self) -> str:
        return self.description


class SandboxSale(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="sales")
    customer = models.ForeignKey(
        SandboxCustomer, on_delete=models.SET_NULL, null=True, blank=True, related_name="sales"
    )
    completed = models.BooleanField(default=False)
    # R-Series: voided sales "do not count towards totals" (reference §2.4).
    voided = models.BooleanField(default=False)
    shop_id = models.CharField(max_length=16, default="1")
    employee_id = models.CharField(max_length=16, default="1")
    register_id = models.CharField(max_length=16, default="1")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Sandbox sale {self.pk}"

    @property
    def is_open(self) -> bool:
        """Lines, customer and status change only while the sale is neither completed nor voided."""
        return not (self.completed or self.voided)


class SandboxSaleLine(models.Model):
    sale = models.ForeignKey(SandboxSale, on_delete=models.CASCADE, related_name="lines")
    # No item: a miscellaneous line, itemID "0" (reference §2.4, SaleLine).
    item = models.ForeignKey(SandboxItem, on_delete=models.PROTECT, null=True, blank=True)
    # R-Series: negative for refunds, with a positive unitPrice (reference §2.5-2.6).
    unit_quantity = models.IntegerField(default=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    parent_line = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="refund_lines"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Sandbox sale line {self.pk}"

    @property
    def subtotal(self) -> Decimal:
        """R-Series calcSubtotal: quantity × unit price, negative for a refund line."""
        return self.unit_price * self.unit_quantity
