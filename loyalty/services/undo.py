"""Undo of a redemption (SPEC §3 Undo): before Finished on the Finish screen; after it, Remove
Only (reopen the card, punches kept) or Remove and Reselect (swap the free item) on the owner's
History. Each is one transaction, audited, and happens once however often it is pressed.

A distributor report still pending is withdrawn and never sent; one already sent is followed by
a correction (cancel, or cancel and replace) through the same outbox."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from loyalty.errors import DomainError
from loyalty.models import Card, Redemption, User, Visit
from loyalty.models.cards import CardStatus, VisitState

from .audit import record_audit
from .distributor_reports.corrections import Settled, settle_reports, write_corrections
from .redemptions import redeem_card


@dataclass(frozen=True)
class UndoResult:
    redemption: Redemption  # the undone one
    replacement: Redemption | None
    withdrawn: int  # pending reports that will never be sent
    corrections: int  # corrections queued for reports already sent


def _lock(redemption: Redemption) -> Redemption:
    """The redemption's row lock orders two clicks (two tabs, a double click): the second one
    finds it undone and changes nothing."""
    locked = (
        Redemption.objects.select_for_update(of=("self",))
        .select_related("card__program_card__program", "card__owner", "item")
        .get(pk=redemption.pk, retailer_id=redemption.retailer_id)
    )
    if locked.undone_at is not None:
        raise DomainError(f"Reward {locked.reward_id} was already undone.")
    return locked


def _reopen(redemption: Redemption, actor: User) -> Settled:
    """Undo one redemption: its card is complete again with every punch, its reports settled."""
    settled = settle_reports(redemption)
    redemption.undone_at, redemption.undone_by = timezone.now(), actor
    redemption.save(update_fields=["undone_at", "undone_by"])
    Card.objects.filter(pk=redemption.card_id).update(status=CardStatus.COMPLETE)
    redemption.card.status = CardStatus.COMPLETE
    return settled


def _audit(action: str, actor: User, old: Redemption, settled: Settled, corrections, new=None):
    record_audit(
        retailer=old.card.owner.retailer,
        actor=actor,
        action=action,
        target=old,
        data={
            "reward_id": old.reward_id,
            "card": old.card.card_number,
            "item": old.item.description,
            "new_reward_id": new.reward_id if new else "",
            "new_item": new.item.description if new else "",
            "reports_withdrawn": [str(r.pk) for r in settled.withdrawn],
            "corrections": [str(r.pk) for r in corrections],
        },
    )


@transaction.atomic
def undo_redemption(
    *, redemption: Redemption, actor: User, visit: Visit | None = None
) -> UndoResult:
    """Undo before Finished (`visit` is the Finish screen's) or Remove Only after it: the card
    is complete again, so the cashier may redeem it now or on a later visit."""
    old = _lock(redemption)
    if visit is not None:
        visit.refresh_from_db(fields=["state"])
        if old.visit_id != visit.pk:
            raise DomainError("That reward was not redeemed in this visit.")
        if visit.state in (VisitState.FINISHED, VisitState.UNDONE):
            raise DomainError(
                "This visit is finished: an admin can correct the reward on the owner's History."
            )
    settled = _reopen(old, actor)
    corrections = write_corrections(sent=settled.sent, redemption=old, replace=False)
    action = "redemption.undone" if visit is not None else "redemption.removed"
    _audit(action, actor, old, settled, corrections)
    return UndoResult(old, None, len(settled.withdrawn), len(corrections))


@transaction.atomic
def reselect_redemption(*, redemption: Redemption, item_id: int, actor: User) -> UndoResult:
    """Remove and Reselect: the reward is given again with another allowed item. A sent report
    gets one cancel-and-replace correction; a withdrawn one is replaced by the new report."""
    old = _lock(redemption)
    if item_id == old.item_id:
        raise DomainError(
            f"{old.item} is the item already given. Choose another item, or use Remove Only."
        )
    settled = _reopen(old, actor)
    new = redeem_card(
        card=old.card,
        item_id=item_id,
        cashier=actor,
        location=old.location,
        visit=old.visit,
        replaces=old,
        report=not settled.sent,
    )
    corrections = write_corrections(sent=settled.sent, redemption=new, replace=True)
    _audit("redemption.reselected", actor, old, settled, corrections, new)
    return UndoResult(old, new, len(settled.withdrawn), len(corrections))
