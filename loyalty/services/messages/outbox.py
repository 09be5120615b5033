"""Writing messages into the outbox, in the transaction of the punches or visit behind them:
at most two queries per sale whatever its lines (the store's settings, one INSERT), none when
no card reached N-1 or completed, none for an owner who agreed to no messages."""

import logging
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from loyalty.models import MessageSettings, OwnerMessage, PetOwner, Visit
from loyalty.models.messages import Channel, MessageKind

logger = logging.getLogger(__name__)


def settings_for(retailer_id: int) -> MessageSettings:
    """The store's message settings; the defaults (unsaved) until an admin saves them."""
    found = MessageSettings.objects.filter(retailer_id=retailer_id).first()
    return found or MessageSettings(retailer_id=retailer_id)


def channel_for(owner: PetOwner) -> str | None:
    """SPEC §8: one message per event, by email if the owner agreed to it (and has an address),
    else by text if they agreed to that; None: no consent, nothing is ever written."""
    if owner.email_consent and owner.email:
        return Channel.EMAIL
    if owner.sms_consent and owner.phone_digits:
        return Channel.SMS
    return None


def _allowed(owner: PetOwner, store: MessageSettings) -> bool:
    # SPEC §3: Sally is a test account; her messages go only while the store tests them.
    return not owner.is_test or store.send_test_messages


def queue_card_messages(
    *,
    owner: PetOwner,
    completed_card_ids: Iterable[int],
    one_more_card_ids: Iterable[int],
    at: datetime | None = None,
) -> int:
    """ "Reward ready" for each completed card, "one more to go" for each card at N-1: one
    bulk INSERT; the (card, kind) constraint drops a repeat (a second click, a retry)."""
    wanted = [(card_id, MessageKind.REWARD_READY) for card_id in completed_card_ids]
    wanted += [(card_id, MessageKind.ONE_MORE) for card_id in one_more_card_ids]
    channel = channel_for(owner)
    if not wanted or channel is None:
        return 0
    store = settings_for(owner.retailer_id)
    wanted = [(card_id, kind) for card_id, kind in wanted if store.is_on(kind)]
    if not wanted or not _allowed(owner, store):
        return 0
    at = at or timezone.now()
    rows = [_row(owner, channel, kind, at, card_id=card_id) for card_id, kind in wanted]
    OwnerMessage.objects.bulk_create(rows, ignore_conflicts=True)
    _send_after_commit(owner.pk)
    return len(rows)


def queue_visit_summary(*, visit: Visit) -> bool:
    """The receipt-style summary of a finished visit, if the store turned it on (once a visit)."""
    owner = visit.owner  # the pipeline's visit has it already
    channel = channel_for(owner) if owner else None
    if owner is None or channel is None:
        return False
    store = settings_for(visit.retailer_id)
    if not store.is_on(MessageKind.VISIT_SUMMARY) or not _allowed(owner, store):
        return False
    row = _row(owner, channel, MessageKind.VISIT_SUMMARY, timezone.now(), visit_id=visit.pk)
    OwnerMessage.objects.bulk_create([row], ignore_conflicts=True)
    _send_after_commit(owner.pk)
    return True


def _row(owner: PetOwner, channel: str, kind: str, at: datetime, **target) -> OwnerMessage:
    return OwnerMessage(
        retailer_id=owner.retailer_id,
        owner_id=owner.pk,
        kind=kind,
        channel=channel,
        created_at=at,
        due_at=timezone.now(),
        **target,
    )


def _send_after_commit(owner_id: int) -> None:
    transaction.on_commit(partial(_send_soon, owner_id))


def _send_soon(owner_id: int) -> None:
    """After commit: queue the owner's sends through OWNER_MESSAGE_QUEUE (the Celery task by
    default; a setting, so this module never imports the tasks that import it). The rows are
    saved: if the broker is down the sweep sends them, and the cashier's request goes on."""
    try:
        import_string(settings.OWNER_MESSAGE_QUEUE)(owner_id)
    except Exception:  # noqa: BLE001 - any broker or in-process send error; the outbox holds it
        logger.warning("Messages of owner %s not queued; the sweep sends them.", owner_id)
