"""Consent to messages (SPEC §8), per channel with its time and source; one-click unsubscribe
from an email's signed link, STOP from a text, and an email's open."""

from django.core import signing
from django.db import transaction
from django.utils import timezone

from loyalty.models import OwnerMessage, PetOwner
from loyalty.models.messages import Channel, MessageState
from loyalty.models.owners import phone_digits

from .compose import OPEN_SALT, UNSUBSCRIBE_SALT

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT"}


def set_consent(*, owner: PetOwner, channel: str, given: bool, source: str) -> bool:
    """Record a change of one channel's consent (not a repeat); True if it changed. The caller
    saves the owner."""
    if getattr(owner, f"{channel}_consent") == given:
        return False
    setattr(owner, f"{channel}_consent", given)
    setattr(owner, f"{channel}_consent_at", timezone.now())
    setattr(owner, f"{channel}_consent_source", source[:100])
    return True


def _message_from(token: str, salt: str) -> OwnerMessage | None:
    try:
        message_id = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    return OwnerMessage.objects.select_related("retailer").filter(pk=message_id).first()


def message_for_unsubscribe(*, token: str) -> OwnerMessage | None:
    """The message a signed unsubscribe link came in; None for a tampered one."""
    return _message_from(token, UNSUBSCRIBE_SALT)


@transaction.atomic
def unsubscribe(*, token: str) -> OwnerMessage | None:
    """One click: no more messages on that message's channel; a second click changes nothing."""
    message = message_for_unsubscribe(token=token)
    if message is None:
        return None
    owner = PetOwner.objects.select_for_update().get(pk=message.owner_id)
    if set_consent(owner=owner, channel=message.channel, given=False, source="unsubscribe link"):
        owner.save()
    OwnerMessage.objects.filter(pk=message.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    return message


def record_open(*, token: str) -> None:
    """The first load of an email's pixel; a forged or repeated one changes nothing."""
    message = _message_from(token, OPEN_SALT)
    if message is not None:
        OwnerMessage.objects.filter(pk=message.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )


def stop_numbers(sender: str) -> set[str]:
    """The ways an owner's phone may be stored: +1 555 010 2233 is also 5550102233."""
    digits = phone_digits(sender)
    numbers = {digits} if digits else set()
    if len(digits) == 11 and digits.startswith("1"):
        numbers.add(digits[1:])
    return numbers


@transaction.atomic
def sms_stop(*, sender: str, body: str) -> int:
    """A STOP text: no more texts to that number. It stops the sending number, which every
    store shares, so every owner with the number stops; how many did."""
    if body.strip().upper() not in STOP_WORDS:
        return 0
    numbers = stop_numbers(sender)
    owners = list(
        PetOwner.objects.select_for_update().filter(phone_digits__in=numbers, sms_consent=True)
    )
    for owner in owners:
        set_consent(owner=owner, channel=Channel.SMS, given=False, source="SMS STOP reply")
        owner.save()
        last = (
            OwnerMessage.objects.filter(owner=owner, channel=Channel.SMS, state=MessageState.SENT)
            .order_by("-sent_at")
            .first()
        )
        if last and last.unsubscribed_at is None:
            last.unsubscribed_at = timezone.now()
            last.save(update_fields=["unsubscribed_at"])
    return len(owners)
