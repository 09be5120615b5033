"""Sandbox X-Series data: stores with outlets and registers, OAuth tokens, products, customers,
sales and their line items. Ids are UUIDs and every change bumps a global `version`, as the
real API's are (docs/pagination)."""

from __future__ import annotations

import secrets
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone

# docs/authorization and the 2025-03 refresh-token changelog: expires_in 604800 (7 days).
ACCESS_TOKEN_SECONDS = 604800
# docs/rate_limiting: 300 requests per register plus 50, per 5-minute window.
RATE_WINDOW_SECONDS = 300
TAX_RATE = Decimal("0.08")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def next_version() -> int:
    """A global, monotonically increasing integer (not +1 per change, as the docs warn)."""
    return time.time_ns() // 1000


class SandboxStore(models.Model):
    """One X-Series retailer account, https://{domain_prefix}.retail.lightspeed.app."""

    domain_prefix = models.CharField(max_length=63, unique=True)
    name = models.CharField(max_length=100)
    client_id = models.CharField(max_length=64, default=new_token)
    client_secret = models.CharField(max_length=64, default=new_token)
    # Setup → Personal Tokens: a bearer token that never expires (the demo prints it).
    personal_token = models.CharField(max_length=64, unique=True, default=new_token)
    authorization_code = models.CharField(max_length=64, blank=True)
    # Setup → Payment Types: the Astro Loyalty payment type's Gateway URL.
    gateway_url = models.URLField(max_length=500, blank=True)
    # Setup → API: the sale.update webhook.
    webhook_url = models.URLField(max_length=500, blank=True)
    # Whether the register saves a sale to the server when Pay is pressed. Unknown for the
    # real register (docs/decisions.md): off, a sale reaches the API only when parked or paid.
    save_on_pay = models.BooleanField(default=True)
    # None: 300 × registers + 50 (docs/rate_limiting); a number overrides it for tests.
    rate_limit = models.PositiveIntegerField(null=True, blank=True)
    window_started_at = models.DateTimeField(default=timezone.now)
    window_count = models.PositiveIntegerField(default=0)
    last_webhook = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Sandbox X-Series store {self.domain_prefix}"


class SandboxOutlet(models.Model):
    store = models.ForeignKey(SandboxStore, on_delete=models.CASCADE, related_name="outlets")
    outlet_id = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=100)
    version = models.BigIntegerField(default=next_version)

    class Meta:
        ordering = ["version"]

    def __str__(self) -> str:
        return self.name


class SandboxRegister(models.Model):
    outlet = models.ForeignKey(SandboxOutlet, on_delete=models.CASCADE, related_name="registers")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=100, default="Main Register")

    def __str__(self) -> str:
        return self.name


class SandboxToken(models.Model):
    store = models.ForeignKey(SandboxStore, on_delete=models.CASCADE, related_name="tokens")
    access_token = models.CharField(max_length=64, unique=True, default=new_token)
    refresh_token = models.CharField(max_length=64, unique=True, default=new_token)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Sandbox token for {self.store.domain_prefix}"

    @classmethod
    def issue(cls, store: SandboxStore) -> SandboxToken:
        expires_at = timezone.now() + timedelta(seconds=ACCESS_TOKEN_SECONDS)
        return cls.objects.create(store=store, expires_at=expires_at)


class SandboxProduct(models.Model):
    store = models.ForeignKey(SandboxStore, on_delete=models.CASCADE, related_name="products")
    product_id = models.UUIDField(default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=200)
    sku = models.CharField(max_length=40)
    # product_codes [{type: "UPC", code}] (GetProductByID); blank for none.
    upc = models.CharField(max_length=14, blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    version = models.BigIntegerField(default=next_version)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SandboxCustomer(models.Model):
    store = models.ForeignKey(SandboxStore, on_delete=models.CASCADE, related_name="customers")
    customer_id = models.UUIDField(default=uuid.uuid4, unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.CharField(max_length=200, blank=True)
    mobile = models.CharField(max_length=40, blank=True)
    version = models.BigIntegerField(default=next_version)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or "Unnamed customer"


class SaleState(models.TextChoices):
    PENDING = "pending", "In progress"
    PARKED = "parked", "Parked"
    CLOSED = "closed", "Completed"
    VOIDED = "voided", "Voided"


class SandboxSale(models.Model):
    store = models.ForeignKey(SandboxStore, on_delete=models.CASCADE, related_name="sales")
    sale_id = models.UUIDField(default=uuid.uuid4, unique=True)
    register = models.ForeignKey(SandboxRegister, on_delete=models.PROTECT, related_name="sales")
    customer = models.ForeignKey(
        SandboxCustomer, on_delete=models.SET_NULL, null=True, blank=True, related_name="sales"
    )
    state = models.CharField(max_length=10, choices=SaleState.choices, default=SaleState.PENDING)
    # False while the sale lives only in the register: the API answers 404 for it.
    saved = models.BooleanField(default=False)
    return_for = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="returns"
    )
    invoice_number = models.CharField(max_length=20, blank=True)
    paid = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    # What the register's payment window did, newest last (shown on the sell screen).
    payment_log = models.JSONField(default=list, blank=True)
    version = models.BigIntegerField(default=next_version)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Sandbox sale {self.invoice_number or self.sale_id}"

    @property
    def is_open(self) -> bool:
        return self.state in (SaleState.PENDING, SaleState.PARKED)


class SandboxLine(models.Model):
    sale = models.ForeignKey(SandboxSale, on_delete=models.CASCADE, related_name="lines")
    line_id = models.UUIDField(default=uuid.uuid4, unique=True)
    product = models.ForeignKey(SandboxProduct, on_delete=models.PROTECT)
    # Negative on a return (docs/sales_returns).
    quantity = models.DecimalField(max_digits=10, decimal_places=3, default=Decimal("1"))
    price = models.DecimalField(max_digits=10, decimal_places=5)
    discount = models.DecimalField(max_digits=10, decimal_places=5, default=Decimal("0"))
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sequence", "pk"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"

    @property
    def total(self) -> Decimal:
        return self.price * self.quantity

    @property
    def tax(self) -> Decimal:
        return self.price * TAX_RATE
