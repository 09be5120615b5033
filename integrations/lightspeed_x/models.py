"""A retailer's connection to its Lightspeed Retail X-Series store, and the sales Astro was shown
in the register's payment window but could not confirm with the X-Series API yet."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_webhook_key() -> str:
    return secrets.token_urlsafe(24)


class XSeriesConnection(models.Model):
    """Tokens are never shown on a screen or in a log (not in __str__, not in admin)."""

    retailer = models.OneToOneField(
        "loyalty.Retailer", on_delete=models.CASCADE, related_name="lightspeed_x"
    )
    # The store's address is https://{domain_prefix}.retail.lightspeed.app (X-Series docs,
    # "authorization"); the OAuth callback and the token answer both name it.
    domain_prefix = models.CharField(max_length=63)
    api_base = models.URLField(help_text="e.g. https://mystore.retail.lightspeed.app")
    # The register's origin: the only window the payment page talks to with postMessage, and
    # the only one allowed to show Astro in its iframe (framing.py).
    register_origin = models.CharField(max_length=200)
    # A personal token (X-Series Setup → Personal Tokens) has no refresh token and no expiry.
    uses_personal_token = models.BooleanField(default=False)
    access_token = models.CharField(max_length=512, editable=False)
    refresh_token = models.CharField(max_length=512, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    # The secret part of the sale.update webhook URL Astro gives the store.
    webhook_key = models.CharField(max_length=64, unique=True, default=new_webhook_key)
    connected_at = models.DateTimeField(default=timezone.now)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Lightspeed X-Series store {self.domain_prefix}"


class WaitingState(models.TextChoices):
    WAITING = "waiting", "Waiting for Lightspeed to save the sale"
    RECORDED = "recorded", "Recorded"
    VOIDED = "voided", "Voided in Lightspeed: nothing recorded"
    NOT_LINKED = "not_linked", "Customer not linked: nothing recorded"
    EXPIRED = "expired", "Lightspeed never saved it: nothing recorded"


class WaitingSale(models.Model):
    """A sale the register showed Astro (postMessage) that the X-Series API did not have yet.

    The browser's copy is never recorded: Astro records the sale once the API has it, when
    the cashier checks again, on Lightspeed's sale.update webhook, or in the catch-up sweep.
    """

    retailer = models.ForeignKey("loyalty.Retailer", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(
        "loyalty.Location", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sale_id = models.CharField(max_length=64)
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        max_length=12, choices=WaitingState.choices, default=WaitingState.WAITING
    )
    visit = models.ForeignKey(
        "loyalty.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["retailer", "sale_id"], name="xseries_waiting_sale_once"
            )
        ]
        indexes = [models.Index(fields=["state", "checked_at"])]

    def __str__(self) -> str:
        return f"X-Series sale {self.sale_id} ({self.state})"
