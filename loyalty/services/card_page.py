"""Placeholder for the owner's private card page link; replaced by the card page work."""

from django.conf import settings

from loyalty.models import PetOwner


def card_page_url(owner: PetOwner, *, base_url: str | None = None) -> str:
    """The owner's card page address. A stand-in: the card page work replaces this module
    with the signed, revocable link (SPEC §8); messages only call this function."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    return f"{base}/card/{owner.pk}/"
