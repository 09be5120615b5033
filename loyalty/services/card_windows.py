"""Closing cards past their window (program card's completion_window_months): lazily when a
purchase or a redemption touches the owner's cards, and in the beat's sweep. An expired card
keeps its punches (History shows them), is never redeemed, and the next purchase starts a new
card."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone

from loyalty.models import Card
from loyalty.models.cards import COUNTED_STATES, CardStatus
from loyalty.rules.card_windows import is_past_window

# The sweep closes this many cards per UPDATE, so one run never holds many rows at once.
SWEEP_BATCH = 500


def windowed_open_cards() -> QuerySet[Card]:
    """Open cards whose program card has a window, each with its first counted punch."""
    return (
        Card.objects.filter(
            status=CardStatus.OPEN, program_card__completion_window_months__isnull=False
        )
        .annotate(
            first_punch=Min(
                "purchases__purchased_at", filter=Q(purchases__state__in=COUNTED_STATES)
            ),
            window_months=F("program_card__completion_window_months"),
        )
        .order_by("pk")
    )


def overdue_card_ids(cards: Iterable[Card], *, at: datetime) -> list[int]:
    """The ids of the cards (read by windowed_open_cards) whose window closed by `at`."""
    return [
        card.pk
        for card in cards
        if is_past_window(
            first_punch=card.first_punch,  # type: ignore[attr-defined]
            months=card.window_months,  # type: ignore[attr-defined]
            at=at,
        )
    ]


def close_expired(card_ids: list[int]) -> int:
    """One UPDATE; only cards still open, so a sweep and a sale never close one twice."""
    if not card_ids:
        return 0
    return Card.objects.filter(pk__in=card_ids, status=CardStatus.OPEN).update(
        status=CardStatus.EXPIRED
    )


@transaction.atomic
def expire_owner_cards(*, owner_id: int, at: datetime | None = None) -> int:
    """The lazy expiry for one owner, inside the caller's transaction (it holds the owner)."""
    cards = windowed_open_cards().filter(owner_id=owner_id)
    return close_expired(overdue_card_ids(cards, at=at or timezone.now()))


def expire_overdue_cards(*, at: datetime | None = None, retailer_id: int | None = None) -> int:
    """The sweep: every open card past its window, closed in batches of SWEEP_BATCH."""
    at = at or timezone.now()
    cards = windowed_open_cards()
    if retailer_id is not None:
        cards = cards.filter(retailer_id=retailer_id)
    closed, after = 0, 0
    while True:
        batch = list(cards.filter(pk__gt=after)[:SWEEP_BATCH])
        if not batch:
            return closed
        with transaction.atomic():
            closed += close_expired(overdue_card_ids(batch, at=at))
        after = batch[-1].pk
