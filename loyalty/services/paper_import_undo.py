"""Undo this import: a paper-card batch taken back as a whole, the owner pages as they were."""

from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from loyalty.errors import DomainError
from loyalty.models import Card, PaperImport, PetOwner, Purchase, User
from loyalty.models.cards import CardStatus
from loyalty.models.paper_import import PaperImportState

from .audit import record_audit
from .paper_import import card_states


@dataclass(frozen=True)
class UndoResult:
    batch: PaperImport
    already: bool = False
    owners_removed: int = 0
    owners_kept: int = 0


@transaction.atomic
def undo_paper_batch(*, batch: PaperImport, actor: User) -> UndoResult:
    """Take back every punch, card and note of the batch, and the owners it created that have
    nothing else. Refused, changing nothing, when one of its cards changed since the import
    (redeemed, punched, returned, merged, notes edited): the page could not be restored."""
    batch = PaperImport.objects.select_for_update().get(pk=batch.pk)
    if batch.state == PaperImportState.UNDONE:
        return UndoResult(batch, already=True)  # a double click or a replayed POST
    if batch.state != PaperImportState.IMPORTED:
        raise DomainError("This file was not imported, so there is nothing to undo.")
    snapshot = batch.undo_snapshot
    before, after = snapshot["before"], snapshot["after"]
    owner_ids = sorted({card["owner"] for card in after.values()})
    list(PetOwner.objects.select_for_update().filter(pk__in=owner_ids).order_by("pk"))
    pairs = {(card["owner"], card["program_card"]) for card in after.values()}
    _check_unchanged(batch, after, card_states(pairs))
    Purchase.objects.filter(paper_import_row__batch=batch).delete()
    Card.objects.filter(pk__in=[int(pk) for pk in after if pk not in before]).delete()
    for pk, card in before.items():
        Card.objects.filter(pk=int(pk)).update(
            status=card["status"], completed_at=_when(card["completed_at"]), notes=card["notes"]
        )
    removed = _remove_created_owners(snapshot["owners_created"])
    batch.state, batch.undone_at, batch.undone_by = PaperImportState.UNDONE, timezone.now(), actor
    batch.save(update_fields=["state", "undone_at", "undone_by"])
    kept = len(snapshot["owners_created"]) - removed
    record_audit(
        retailer=batch.retailer,
        actor=actor,
        action="paper_import.undone",
        target=batch,
        data={"cards": len(after), "owners_removed": removed, "owners_kept": kept},
    )
    return UndoResult(batch, owners_removed=removed, owners_kept=kept)


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _check_unchanged(batch: PaperImport, after: dict, now: dict) -> None:
    changed = [pk for pk in sorted({*after, *now}, key=int) if after.get(pk) != now.get(pk)]
    if not changed:
        return
    cards = Card.objects.filter(pk__in=[int(pk) for pk in changed]).select_related("owner")
    said = []
    for card in cards.order_by("pk")[:5]:
        what = "was redeemed" if card.status == CardStatus.REDEEMED else "changed"
        said.append(f"card {card.card_number} of {card.owner.full_name} {what}")
    known = [pk for card in after.values() for pk, _state in card["purchases"]]
    later = (
        Purchase.objects.filter(card_id__in=[int(pk) for pk in changed])
        .exclude(paper_import_row__isnull=True)
        .exclude(paper_import_row__batch=batch)
        .exclude(pk__in=known)
        .values_list("paper_import_row__batch_id", flat=True)
        .first()
    )
    hint = f" Undo import {later} first." if later else " Correct those cards by hand instead."
    raise DomainError(
        "This import cannot be undone: since it, "
        + ("; ".join(said) or "a card was removed")
        + " (a purchase, return, redemption, merge or note)."
        + hint
    )


def _remove_created_owners(owner_ids: list[int]) -> int:
    """Owners the import created leave again, unless they have something else by now."""
    removed = 0
    for owner in PetOwner.objects.filter(pk__in=owner_ids).order_by("pk"):
        if _has_nothing_else(owner):
            owner.delete()
            removed += 1
    return removed


def _has_nothing_else(owner: PetOwner) -> bool:
    """Deleting the owner would delete no other row: no card, visit, link, point or pet."""
    collector = Collector(using=DEFAULT_DB_ALIAS)
    try:
        collector.collect([owner])
    except (ProtectedError, RestrictedError):
        return False
    if any(objs for model, objs in collector.data.items() if model is not PetOwner):
        return False
    return not any(rows.exists() for rows in collector.fast_deletes)
