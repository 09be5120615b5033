"""Reads of owner messages: the store's settings screen and its Messages report (SPEC §8)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Q

from loyalty.models import MessageSettings, OwnerMessage, PetOwner, Retailer
from loyalty.models.messages import MessageKind, MessageState
from loyalty.rules.message_text import render_text

REPORT_LIMIT = 500


def message_settings(*, retailer: Retailer) -> MessageSettings:
    found = MessageSettings.objects.filter(retailer=retailer).first()
    return found or MessageSettings(retailer=retailer)


@dataclass(frozen=True)
class Totals:
    sent: int
    opened: int
    unsubscribed: int
    waiting: int
    not_sent: int


def message_totals(*, retailer: Retailer) -> Totals:
    counts = OwnerMessage.objects.filter(retailer=retailer).aggregate(
        sent=Count("pk", filter=Q(state=MessageState.SENT)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
        waiting=Count("pk", filter=Q(state__in=[MessageState.PENDING, MessageState.SENDING])),
        not_sent=Count("pk", filter=Q(state__in=[MessageState.SKIPPED, MessageState.FAILED])),
    )
    return Totals(**counts)


def report_messages(*, retailer: Retailer, limit: int | None = REPORT_LIMIT) -> Iterator:
    """The store's messages, newest first, with their owner (one query)."""
    rows = OwnerMessage.objects.filter(retailer=retailer).select_related("owner")
    return rows[:limit].iterator() if limit else rows.iterator(chunk_size=500)


PREVIEW_VALUES = {
    "first_name": "Sally",
    "card": "Acana Dog Food",
    "progress": "11/12",
    "summary": "Today: 2 punches on your cards and 54 points.",
    "link": "https://astro.example/card/…",
}


def preview_texts(*, retailer: Retailer, texts: dict[str, str]) -> dict[str, str]:
    """Each wording filled in with a sample owner, as the owner would read it."""
    values = PREVIEW_VALUES | {"store": retailer.name}
    return {kind: render_text(texts.get(kind, ""), values) for kind in MessageKind.values}


def owner_consents(*, owner: PetOwner) -> list[tuple[str, bool, object, str]]:
    return [
        ("Email", owner.email_consent, owner.email_consent_at, owner.email_consent_source),
        ("SMS", owner.sms_consent, owner.sms_consent_at, owner.sms_consent_source),
    ]
