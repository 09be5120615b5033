"""Sandbox Heartland Retail data: an account with its API token, locations and stations,
customers, items, tickets and their lines ("notes §x" is docs/heartland.md)."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from django.db import models
from django.utils import timezone

# Heartland publishes no numeric rate limit (notes §3); the sandbox allows this many requests
# per window per account, so the client's 429 handling is exercised for real.
RATE_LIMIT = 300
RATE_WINDOW_SECONDS = 60
# Ticket numbers (public_id) count up from here, as Heartland's auto-assigned ones do.
TICKET_NUMBER_BASE = 100000


def new_token() -> str:
    return secrets.token_urlsafe(32)


class SandboxAccount(models.Model):
    """One Heartland Retail account: https://{subdomain}.retail.heartland.us (notes §1)."""

    subdomain = models.CharField(max_length=63, unique=True)
    name = models.CharField(max_length=100, blank=True)
    account_uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    # My Account → API Tokens (notes §2): long-lived, shown once, revocable.
    api_token = models.CharField(max_length=64, unique=True, default=new_token)
    token_revoked = models.BooleanField(default=False)
    rate_limit = models.PositiveIntegerField(default=RATE_LIMIT)
    rate_window_seconds = models.PositiveIntegerField(default=RATE_WINDOW_SECONDS)
    window_started_at = models.DateTimeField(default=timezone.now)
    window_count = models.PositiveIntegerField(default=0)
    # The POS UI extension's URL, which the register frames on the ticket screen (notes §7).
    extension_url = models.URLField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"Sandbox account {self.subdomain}"


class SandboxLocation(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=100)
    public_id = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class SandboxStation(models.Model):
    """A register of a location. While `hold_sync` is on, the station keeps new tickets and
    lines to itself: the API does not have them until the station syncs (a register that has
    not saved yet, or a tampered ticket id: either way the API does not confirm the sale)."""

    location = models.ForeignKey(SandboxLocation, on_delete=models.CASCADE, related_name="stations")
    name = models.CharField(max_length=100, default="Register 1")
    hold_sync = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.location.name} · {self.name}"


class SandboxCustomer(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="customers")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.CharField(max_length=200, blank=True)
    # Heartland keeps phone numbers on addresses (notes §5): the API shows these as one address.
    phone = models.CharField(max_length=40, blank=True)
    address_1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=40, blank=True)
    zip = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SandboxItem(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="items")
    # The item number (Item #); a UPC is a custom field of the store's (notes §4).
    public_id = models.CharField(max_length=40, blank=True)
    upc = models.CharField(max_length=14, blank=True)
    description = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))

    def __str__(self) -> str:
        return self.description


class TicketStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    COMPLETE = "complete", "Complete"
    VOIDED = "voided", "Voided"


class SandboxTicket(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="tickets")
    location = models.ForeignKey(SandboxLocation, on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        SandboxStation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    customer = models.ForeignKey(
        SandboxCustomer, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    status = models.CharField(
        max_length=10, choices=TicketStatus.choices, default=TicketStatus.PENDING
    )
    # False while the station holds it (see SandboxStation.hold_sync): the API answers 404.
    saved = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Ticket #{self.number}"

    @property
    def number(self) -> str:
        return str(TICKET_NUMBER_BASE + self.pk)

    @property
    def is_open(self) -> bool:
        return self.status == TicketStatus.PENDING


class SandboxTicketLine(models.Model):
    ticket = models.ForeignKey(SandboxTicket, on_delete=models.CASCADE, related_name="lines")
    # No item: an open-ring line the cashier typed a price for.
    item = models.ForeignKey(SandboxItem, on_delete=models.PROTECT, null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)
    # Negative for a return; fractional for goods sold by weight (notes §4).
    qty = models.DecimalField(max_digits=12, decimal_places=3, default=Decimal("1"))
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    original_unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    # False while the station holds it: the API's list of lines leaves it out.
    saved = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Ticket line {self.pk}"

    @property
    def value(self) -> Decimal:
        return self.qty * self.unit_price
