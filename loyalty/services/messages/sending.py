"""Sending the outbox: each message once. A row is claimed under its lock (pending → sending,
committed) before the email or text goes, so a retried task, a second worker or the sweep
finds nothing left to send; a crash after the claim leaves it "sending", never sent twice."""

import logging
import smtplib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from loyalty.contracts.messages import SmsError, sms_backend
from loyalty.models import MessageSettings, OwnerMessage
from loyalty.models.messages import Channel, MessageState
from loyalty.rules.quiet_hours import quiet_until
from loyalty.time_zones import store_zone

from . import compose
from .outbox import settings_for

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60


def send_owner_messages(owner_id: int) -> int:
    """Everything of this owner that is due (the task queued after the punches committed)."""
    ids = OwnerMessage.objects.filter(
        owner_id=owner_id, state=MessageState.PENDING, due_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    return sum(send_message(pk) == MessageState.SENT for pk in list(ids))


def send_due_messages(*, limit: int = 200) -> int:
    """The sweep: whatever waited (quiet hours, a retry, a task the broker lost)."""
    ids = (
        OwnerMessage.objects.filter(state=MessageState.PENDING, due_at__lte=timezone.now())
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(send_message(pk) == MessageState.SENT for pk in list(ids))


def send_message(message_id: int) -> str:
    """Send one message if it is still due and allowed; its state afterwards."""
    message, claimed = _claim(message_id)
    if not claimed or message is None:
        return message.state if message else ""
    try:
        _deliver(message)
    except (SmsError, smtplib.SMTPException, OSError) as exc:
        return _failed(message, exc)
    OwnerMessage.objects.filter(pk=message.pk, state=MessageState.SENDING).update(
        state=MessageState.SENT, sent_at=timezone.now()
    )
    return MessageState.SENT


@transaction.atomic
def _claim(message_id: int) -> tuple[OwnerMessage | None, bool]:
    """The message, and whether this call claimed it (only a pending, due one is claimed)."""
    message = (
        OwnerMessage.objects.select_for_update(of=("self",))
        .select_related("owner", "retailer", "card__program_card")
        .filter(pk=message_id)
        .first()
    )
    now = timezone.now()
    if message is None or message.state != MessageState.PENDING or message.due_at > now:
        return message, False
    store = settings_for(message.retailer_id)
    reason = why_not_sent(message, store)
    if reason:
        message.state, message.note = MessageState.SKIPPED, reason
        message.save(update_fields=["state", "note"])
        return message, False
    local = timezone.localtime(now, store_zone(message.retailer))
    until = quiet_until(local, store.quiet_start, store.quiet_end)
    if until is not None:  # SPEC §8: quiet hours; the sweep sends it when they end
        message.due_at, message.note = until, "Waiting for the end of quiet hours."
        message.save(update_fields=["due_at", "note"])
        return message, False
    owner = message.owner
    message.recipient = owner.email if message.channel == Channel.EMAIL else owner.phone
    message.body = compose.message_text(message, store)
    message.state, message.attempts = MessageState.SENDING, message.attempts + 1
    message.save(update_fields=["recipient", "body", "state", "attempts"])
    return message, True


def why_not_sent(message: OwnerMessage, store: MessageSettings) -> str:
    """Checked again at send time: consent withdrawn, a setting turned off since it was queued."""
    owner = message.owner
    if owner.merged_into_id:
        return "The owner was merged into another."
    if owner.is_test and not store.send_test_messages:
        return "A test owner: test messages are off."
    if not store.is_on(message.kind):
        return "This message is turned off in Messages settings."
    if message.channel == Channel.EMAIL and not (owner.email_consent and owner.email):
        return "No consent to email (or no email address)."
    if message.channel == Channel.SMS and not (owner.sms_consent and owner.phone_digits):
        return "No consent to texts (or no mobile phone)."
    return ""


def _deliver(message: OwnerMessage) -> None:
    if message.channel == Channel.EMAIL:
        compose.email_for(message, message.body).send()
    else:
        sms_backend().send(to=message.recipient, body=compose.sms_text(message.body))


def _failed(message: OwnerMessage, exc: Exception) -> str:
    """Nothing went: try again later (the sweep), unless retrying cannot help."""
    permanent = getattr(exc, "permanent", isinstance(exc, smtplib.SMTPRecipientsRefused))
    last = permanent or message.attempts >= MAX_ATTEMPTS
    state = MessageState.FAILED if last else MessageState.PENDING
    wait = timedelta(seconds=RETRY_BASE_SECONDS * 2 ** (message.attempts - 1))
    logger.warning("Message %s not sent: %s", message.pk, exc)
    OwnerMessage.objects.filter(pk=message.pk, state=MessageState.SENDING).update(
        state=state, note=str(exc)[:300], due_at=timezone.now() + wait
    )
    return state
