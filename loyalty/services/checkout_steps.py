"""Checkout → the pop-ups → Finish (SPEC §4 step 7): which pop-up the cashier sees next."""

from typing import NamedTuple

from django.db import transaction

from loyalty.errors import DomainError
from loyalty.models import Card, PetOwner, Purchase, Visit
from loyalty.models.cards import CardStatus, PurchaseState
from loyalty.presentation.text import card_title

from .redemptions import missing_contact_data
from .sales import multi_purchase_cards, record_multi_purchase_reason

MULTI_PURCHASE, CONTACT, REDEMPTION, FINISH = "multi_purchase", "contact", "redemption", "finish"


def cards_needing_reasons(visit: Visit) -> list[Card]:
    """Cards this visit punched more than once whose punches still lack the cashier's reason."""
    cards = multi_purchase_cards(visit)
    unexplained = set(
        Purchase.objects.filter(
            visit_line__visit=visit,
            card__in=cards,
            state=PurchaseState.ACTIVE,
            multi_purchase_reason="",
        ).values_list("card_id", flat=True)
    )
    return [card for card in cards if card.pk in unexplained]


def complete_cards(owner: PetOwner) -> list[Card]:
    return list(
        Card.objects.filter(owner=owner, status=CardStatus.COMPLETE)
        .select_related("program_card__program", "owner")
        .order_by("completed_at", "id")
    )


def next_checkout_step(*, visit: Visit, redemption_seen: bool) -> tuple[str, list[Card]]:
    """Which pop-up comes next after Checkout, with the cards it is about."""
    reasons = cards_needing_reasons(visit)
    if reasons:
        return MULTI_PURCHASE, reasons
    complete = complete_cards(visit.customer)
    needing_contact = [card for card in complete if missing_contact_data(card)]
    if needing_contact:
        return CONTACT, needing_contact
    if complete and not redemption_seen:
        return REDEMPTION, complete
    return FINISH, []


class Answer(NamedTuple):
    reason: str
    note: str


@transaction.atomic
def record_reasons(*, visit: Visit, cards: list[Card], answers: dict[int, Answer]) -> dict:
    """The multi-purchase pop-up's answers, all or none: when one card's answer is not usable,
    nothing is saved and the problems come back by card id, each naming its card, so the
    pop-up can show every answer again beside its problem."""
    problems = {}
    for card in cards:
        answer = answers.get(card.pk, Answer("", ""))
        try:
            with transaction.atomic():
                record_multi_purchase_reason(
                    visit=visit, card=card, reason=answer.reason, note=answer.note
                )
        except DomainError as exc:
            title = card_title(card.program_card.program.name, card.program_card.name)
            problems[card.pk] = f"{title} (card {card.card_number}): {exc.message}"
    if problems:
        transaction.set_rollback(True)
    return problems
