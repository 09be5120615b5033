"""The pet owner's private card page link (SPEC §8): its address, rotating and revoking it.

Messages call `card_page_url` for the link they carry; staff rotate or revoke it from the
owner's page; merging an owner revokes the merged-away owner's link (services/merge.py)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from loyalty.models import PetOwner, User
from loyalty.models.owners import new_card_key
from loyalty.security.card_links import card_token

from .audit import record_audit


def card_page_url(owner: PetOwner, *, base_url: str | None = None) -> str:
    """The absolute address of the owner's card page, from SITE_URL unless `base_url` is given.

    An owner whose link is off (revoked, or merged into another owner) has none: the answer is
    "" and a message leaves the link out. No query is made."""
    if not owner.card_key or owner.merged_into_id is not None:
        return ""
    base = (base_url or settings.SITE_URL).rstrip("/")
    token = card_token(owner_id=owner.pk, key=owner.card_key)
    return base + reverse("card_page", args=[token])


@transaction.atomic
def rotate_card_link(*, owner: PetOwner, actor: User | None) -> None:
    """A new link for the owner; the old one answers 404 from now on. Also turns a revoked
    link back on. Audited."""
    _set_key(owner=owner, key=new_card_key(), actor=actor, action="owner.card_link_rotated")


@transaction.atomic
def revoke_card_link(*, owner: PetOwner, actor: User | None) -> None:
    """The owner's link stops working (the owner asked); a rotation gives them a new one."""
    _set_key(owner=owner, key="", actor=actor, action="owner.card_link_revoked")


def _set_key(*, owner: PetOwner, key: str, actor: User | None, action: str) -> None:
    # Locked, so a rotation and a revocation at the same moment end in one of them, audited.
    locked = PetOwner.objects.select_for_update().get(pk=owner.pk)
    locked.card_key = key
    locked.save(update_fields=["card_key"])
    owner.card_key = key
    record_audit(retailer=owner.retailer, actor=actor, action=action, target=owner, data={})
