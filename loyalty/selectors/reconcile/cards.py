"""Reconcile, cards (SPEC §3): each card's state agrees with its punches and its rewards."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from loyalty.models import Card, Purchase
from loyalty.models.cards import COUNTED_STATES, CardStatus

from .base import Discrepancy, Scope

# A closed card holds exactly N punches; an open or expired one fewer (at N it completes).
FULL_STATES = (CardStatus.COMPLETE, CardStatus.REDEEMED)
NOT_FULL_STATES = (CardStatus.OPEN, CardStatus.EXPIRED)


def cards_in_scope(scope: Scope) -> QuerySet[Card]:
    """The retailer's cards; with a `since`, those made, punched or redeemed since then."""
    cards = Card.objects.filter(retailer_id=scope.retailer_id)
    if scope.since is not None:
        touched = (
            Q(created_at__gte=scope.since)
            | Q(purchases__purchased_at__gte=scope.since)
            | Q(redemptions__redeemed_at__gte=scope.since)
        )
        cards = cards.filter(pk__in=Card.objects.filter(touched).values("pk"))
    return cards


def _with_counts(scope: Scope) -> Any:
    """The cards with their punches, rewards standing and N (typed loosely: annotated)."""
    return cards_in_scope(scope).annotate(
        punches=Count("purchases", filter=Q(purchases__state__in=COUNTED_STATES), distinct=True),
        standing=Count("redemptions", filter=Q(redemptions__undone_at__isnull=True), distinct=True),
        required=F("program_card__purchases_required"),
    )


def _card_rows(card: Any) -> dict[str, list]:
    ids = Purchase.objects.filter(card=card, state__in=COUNTED_STATES).values_list("pk", flat=True)
    return {"card": [card.pk], "owner": [card.owner_id], "purchase": sorted(ids)}


def card_punch_count(scope: Scope) -> Iterator[Discrepancy]:
    """A complete or redeemed card holds exactly N punches (its active purchases)."""
    wrong = _with_counts(scope).filter(status__in=FULL_STATES).exclude(punches=F("required"))
    for card in wrong.order_by("pk"):
        yield Discrepancy(
            "card_punch_count",
            f"Card {card.card_number} is {card.get_status_display().lower()} with "
            f"{card.punches} active purchases; its program card needs {card.required}.",
            _card_rows(card),
        )


def open_card_over_limit(scope: Scope) -> Iterator[Discrepancy]:
    """No open (or expired) card holds N punches or more: at N it is complete."""
    over = _with_counts(scope).filter(status__in=NOT_FULL_STATES, punches__gte=F("required"))
    for card in over.order_by("pk"):
        yield Discrepancy(
            "open_card_over_limit",
            f"Card {card.card_number} is {card.get_status_display().lower()} yet holds "
            f"{card.punches} punches of {card.required}.",
            _card_rows(card),
        )


def card_redemption_state(scope: Scope) -> Iterator[Discrepancy]:
    """A redeemed card has exactly one reward standing (not undone); no other card has one."""
    cards = _with_counts(scope)
    wrong = cards.filter(
        Q(status=CardStatus.REDEEMED) & ~Q(standing=1)
        | ~Q(status=CardStatus.REDEEMED) & Q(standing__gt=0)
    )
    for card in wrong.order_by("pk"):
        ids = card.redemptions.filter(undone_at__isnull=True).values_list("pk", flat=True)
        yield Discrepancy(
            "card_redemption_state",
            f"Card {card.card_number} is {card.get_status_display().lower()} with "
            f"{card.standing} rewards standing; a redeemed card has one, any other none.",
            {"card": [card.pk], "redemption": sorted(ids)},
        )


def rows_of_another_store(scope: Scope) -> Iterator[Discrepancy]:
    """A card, its owner, its program and its purchases all belong to one retailer (SPEC §1)."""
    cards = Card.objects.filter(
        Q(retailer_id=scope.retailer_id) | Q(owner__retailer_id=scope.retailer_id)
    ).filter(
        ~Q(owner__retailer_id=F("retailer_id"))
        | Q(program_card__program__retailer__isnull=False)
        & ~Q(program_card__program__retailer_id=F("retailer_id"))
    )
    for card in cards.order_by("pk"):
        yield Discrepancy(
            "rows_of_another_store",
            f"Card {card.card_number} mixes retailers: card {card.retailer_id}, owner of "
            "another store or a custom program of another store.",
            {"card": [card.pk], "owner": [card.owner_id]},
        )
    purchases = Purchase.objects.filter(
        Q(retailer_id=scope.retailer_id) | Q(card__retailer_id=scope.retailer_id)
    ).exclude(retailer_id=F("card__retailer_id"))
    for purchase in purchases.order_by("pk"):
        yield Discrepancy(
            "rows_of_another_store",
            f"Purchase {purchase.pk} belongs to retailer {purchase.retailer_id} but sits on a "
            "card of another store.",
            {"purchase": [purchase.pk], "card": [purchase.card_id]},
        )
