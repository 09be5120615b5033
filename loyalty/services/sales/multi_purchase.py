"""Multi-purchase (SPEC §3): a card punched more than once in a visit needs the cashier's reason."""

from collections import Counter

from django.db import transaction

from loyalty.errors import DomainError
from loyalty.models import Card, Purchase, Visit
from loyalty.models.cards import PurchaseState
from loyalty.rules.visits import cards_needing_reason, check_reason


def multi_purchase_cards(visit: Visit) -> list[Card]:
    """SPEC §3: cards this visit punched more than once need a reason before finishing."""
    counts = Counter(
        Purchase.objects.filter(visit_line__visit=visit, state=PurchaseState.ACTIVE).values_list(
            "card_id", flat=True
        )
    )
    ids = cards_needing_reason(counts)
    cards = Card.objects.select_related("program_card__program").in_bulk(ids)
    return [cards[i] for i in ids]


@transaction.atomic
def record_multi_purchase_reason(*, visit: Visit, card: Card, reason: str, note: str = "") -> int:
    """Keep the cashier's reason with every punch this visit put on the card."""
    try:
        check_reason(reason=reason, note=note)
    except ValueError as exc:
        raise DomainError(str(exc)) from exc
    return Purchase.objects.filter(visit_line__visit=visit, card=card).update(
        multi_purchase_reason=reason, multi_purchase_note=note
    )
