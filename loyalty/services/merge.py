"""Merging a duplicate pet owner into the owner kept: everything moves, nothing counts twice."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from loyalty.errors import DomainError
from loyalty.models import Card, PetOwner, Purchase, User
from loyalty.models.cards import COUNTED_STATES, CardStatus, PurchaseState
from loyalty.rules.punches import split_punches

from .audit import record_audit

# Contact fields the kept owner takes from the duplicate when its own are blank.
CONTACT_FIELDS = ("email", "phone", "address_line", "city", "state", "postal_code")


@dataclass(frozen=True)
class MergeCounts:
    """What moves from the duplicate to the kept owner (shown before, audited after)."""

    cards: int
    purchases: int
    pos_links: int
    points: int
    points_entries: int
    prepaid_packages: int
    cash_back_entries: int
    visits: int
    pets: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def what_moves(duplicate: PetOwner) -> MergeCounts:
    """The duplicate's rows, counted the way the merge will move them."""
    points = duplicate.points_entries.aggregate(total=Sum("points"), n=Count("id"))
    return MergeCounts(
        cards=duplicate.cards.count(),
        purchases=Purchase.objects.filter(card__owner=duplicate, state__in=COUNTED_STATES).count(),
        pos_links=duplicate.pos_links.count(),
        points=points["total"] or 0,
        points_entries=points["n"],
        prepaid_packages=duplicate.prepaid_packages.count(),
        cash_back_entries=duplicate.cash_back_entries.count(),
        visits=duplicate.visits.count(),
        pets=duplicate.pets.count(),
    )


def check_mergeable(*, duplicate: PetOwner, keep: PetOwner) -> None:
    """The refusals, with words an admin understands."""
    if duplicate.pk == keep.pk:
        raise DomainError("Pick two different pet owners: an owner cannot be merged with itself.")
    if duplicate.retailer_id != keep.retailer_id:
        raise DomainError("Both pet owners must belong to your store.")
    if duplicate.is_test or keep.is_test:
        # SPEC §3: Sally is the store's test account; real history must never land on her.
        raise DomainError("Sally Pet Owner is the test account and cannot be merged.")
    if duplicate.merged_into_id or keep.merged_into_id:
        raise DomainError("One of these owners was already merged into another account.")


@transaction.atomic
def merge_owners(*, duplicate: PetOwner, keep: PetOwner, actor: User) -> MergeCounts:
    """Move the duplicate's cards, purchases, POS links, points, packages, cash back, visits and
    pets to `keep`, in one transaction with both owner rows locked; the duplicate stays as a
    row pointing at `keep` (its history in the audit log) and leaves every list."""
    check_mergeable(duplicate=duplicate, keep=keep)
    # Lock both in id order, so two merges of the same pair queue instead of deadlocking.
    rows = PetOwner.objects.select_for_update().filter(pk__in=[duplicate.pk, keep.pk])
    locked = {owner.pk: owner for owner in rows.order_by("pk")}
    duplicate, keep = locked[duplicate.pk], locked[keep.pk]
    check_mergeable(duplicate=duplicate, keep=keep)  # again, on the rows as locked
    counts = what_moves(duplicate)
    _move_cards(duplicate=duplicate, keep=keep)
    for related in ("pos_links", "points_entries", "prepaid_packages", "cash_back_entries"):
        getattr(duplicate, related).update(owner=keep)
    duplicate.visits.update(owner=keep)
    duplicate.pets.update(owner=keep)
    duplicate.merged_duplicates.update(merged_into=keep)  # keep the chain one step long
    filled = _fill_blank_contact(duplicate=duplicate, keep=keep)
    duplicate.merged_into = keep
    duplicate.card_key = ""  # SPEC §8: the merged-away owner's card page link dies
    duplicate.save(update_fields=["merged_into", "card_key"])
    record_audit(
        retailer=keep.retailer,
        actor=actor,
        action="owner.merged",
        target=keep,
        data={
            "duplicate_id": duplicate.pk,
            "duplicate_name": duplicate.full_name,
            "moved": counts.as_dict(),
            "contact_filled": filled,
        },
    )
    return counts


def _move_cards(*, duplicate: PetOwner, keep: PetOwner) -> None:
    """Complete and redeemed cards move as they are. An open card moves too, unless the kept
    owner has an open card of the same program card: then its punches fill the kept card and
    spill onto new ones (SPEC §3), since an owner has at most one open card per program card."""
    kept_open = {
        card.program_card_id: card
        for card in Card.objects.filter(owner=keep, status=CardStatus.OPEN).select_related(
            "program_card"
        )
    }
    for card in Card.objects.filter(owner=duplicate).order_by("pk"):
        if card.status == CardStatus.OPEN and card.program_card_id in kept_open:
            _pour_open_card(card, into=kept_open[card.program_card_id], keep=keep)
        else:
            card.owner = keep
            card.save(update_fields=["owner"])


def _pour_open_card(card: Card, *, into: Card, keep: PetOwner) -> None:
    """The duplicate's open card's punches, oldest first, onto the kept owner's open card."""
    required = into.program_card.purchases_required
    punches = list(card.purchases.filter(state=PurchaseState.ACTIVE).order_by("purchased_at", "id"))
    current = into.purchases.filter(state=PurchaseState.ACTIVE).count()
    target: Card | None = into
    start = 0
    for chunk in split_punches(current=current, required=required, quantity=len(punches)):
        if target is None:
            target = Card.objects.create(
                retailer_id=keep.retailer_id, owner=keep, program_card_id=into.program_card_id
            )
        ids = [p.pk for p in punches[start : start + chunk]]
        Purchase.objects.filter(pk__in=ids).update(card=target)
        start += chunk
        if current + chunk == required:
            target.status, target.completed_at = CardStatus.COMPLETE, timezone.now()
            target.save(update_fields=["status", "completed_at"])
            target, current = None, 0
        else:
            current += chunk
    # What is left (removed or returned punches, undone redemptions) counts for nothing but is
    # history: it joins the kept owner's card, so nothing of the duplicate is lost.
    resting = target or into
    card.purchases.update(card=resting)
    card.redemptions.filter(undone_at__isnull=False).update(card=resting)
    card.delete()


def _fill_blank_contact(*, duplicate: PetOwner, keep: PetOwner) -> list[str]:
    """The kept owner's contact data wins; a blank of theirs takes the duplicate's value."""
    filled = [
        name for name in CONTACT_FIELDS if not getattr(keep, name) and getattr(duplicate, name)
    ]
    for name in filled:
        setattr(keep, name, getattr(duplicate, name))
    if filled:
        keep.save()
    return filled
