"""A retailer's connection to its Heartland Retail account: the subdomain and the API token."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class HeartlandConnection(models.Model):
    """The token is never shown on a screen or written to a log (not in __str__, not in admin);
    screens show `token_hint`, its last characters, so an admin can tell two tokens apart."""

    retailer = models.OneToOneField(
        "loyalty.Retailer", on_delete=models.CASCADE, related_name="heartland"
    )
    # The account's own host: https://{subdomain}.retail.heartland.us (notes §1).
    subdomain = models.CharField(max_length=63)
    api_base = models.URLField(help_text="e.g. https://yourstore.retail.heartland.us/api")
    token = models.CharField(max_length=512, editable=False)
    token_hint = models.CharField(max_length=8, editable=False)
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
        return f"Heartland Retail account {self.subdomain}"
