"""The demo's owner messages (SPEC §8): consent where the owner agreed to marketing, and
Sally's messages on, so a punch on her card at N-1 or N shows its email in the server's log."""

from django.db import transaction
from django.utils import timezone

from loyalty.models import MessageSettings, PetOwner, Retailer
from loyalty.services.owners import ensure_test_owner

SOURCE = "demo data"


@transaction.atomic
def load_messages(retailer: Retailer, *, test_messages: bool) -> None:
    """Once (after the history, which therefore sent nothing): later runs change nothing."""
    if MessageSettings.objects.filter(retailer=retailer).exists():
        return
    MessageSettings.objects.create(retailer=retailer, send_test_messages=test_messages)
    PetOwner.objects.filter(retailer=retailer, marketing_consent=True).exclude(email="").update(
        email_consent=True, email_consent_at=timezone.now(), email_consent_source=SOURCE
    )
    if test_messages:
        sally = ensure_test_owner(retailer)
        PetOwner.objects.filter(pk=sally.pk).update(
            email_consent=True, email_consent_at=timezone.now(), email_consent_source=SOURCE
        )
