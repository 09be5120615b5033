"""A retailer's connection to its Lightspeed Retail account: account id and OAuth tokens."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from loyalty.models.encrypted import EncryptedTextField


class LightspeedConnection(models.Model):
    """Tokens are never shown on a screen or in a log (not in __str__, not in admin)."""

    retailer = models.OneToOneField(
        "loyalty.Retailer", on_delete=models.CASCADE, related_name="lightspeed"
    )
    account_id = models.CharField(max_length=32)
    api_base = models.URLField(help_text="e.g. https://api.lightspeedapp.com")
    auth_base = models.URLField(help_text="e.g. https://cloud.lightspeedapp.com")
    # Encrypted at rest (loyalty/models/encrypted.py): a dump must not open the store's account.
    access_token = EncryptedTextField(editable=False)
    refresh_token = EncryptedTextField(editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    # When an admin last authorised the account; a reconnect moves it (not auto_now_add).
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
        return f"Lightspeed account {self.account_id}"
