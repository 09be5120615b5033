"""Abandoned cards: open cards with no punch for a number of days, per program, with their owner
and progress (what a manufacturer asks a store about; the card windows of issue 15)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce

from loyalty.models import Card, Retailer
from loyalty.models.cards import COUNTED_STATES, CardStatus

DEFAULT_DAYS = 60
MAX_DAYS = 3650


@dataclass(frozen=True)
class AbandonedCard:
    card: Card
    punches: int
    last_punch: datetime
    days_inactive: int

    @property
    def progress(self) -> str:
        return f"{self.punches}/{self.card.program_card.purchases_required}"


def parse_days(raw: str | None) -> tuple[int | None, str]:
    """The screen's "no punch for N days" field: a whole number of days, or a message."""
    text = (raw or "").strip()
    if not text:
        return DEFAULT_DAYS, ""
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        return None, f"“{text}” is not a number of days from 1 to {MAX_DAYS}."
    return int(text), ""


def abandoned_cards(*, retailer: Retailer, days: int, at: datetime) -> list[AbandonedCard]:
    """Open cards whose last punch (or, with none left, their start) is `days` or more before
    `at`, grouped by program; Sally Pet Owner, the test account, is left out. One query."""
    cutoff = at - timedelta(days=days)
    cards = (
        Card.objects.filter(retailer=retailer, status=CardStatus.OPEN, owner__is_test=False)
        .annotate(
            punches=Count("purchases", filter=Q(purchases__state__in=COUNTED_STATES)),
            last_punch=Coalesce(
                Max("purchases__purchased_at", filter=Q(purchases__state__in=COUNTED_STATES)),
                "created_at",
            ),
        )
        .filter(last_punch__lte=cutoff)
        .select_related("owner", "program_card__program")
        .order_by("program_card__program__name", "program_card__name", "last_punch", "pk")
    )
    return [
        AbandonedCard(card, card.punches, card.last_punch, (at - card.last_punch).days)
        for card in cards
    ]


def by_program(rows: list[AbandonedCard]) -> list[tuple[str, list[AbandonedCard]]]:
    """The rows under their program's name, in the order given."""
    groups: dict[str, list[AbandonedCard]] = {}
    for row in rows:
        groups.setdefault(row.card.program_card.program.name, []).append(row)
    return list(groups.items())
