"""Punching cards and taking punches back on returns (SPEC §3)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from loyalty.errors import NotEnrolled
from loyalty.models import (
    Card,
    Item,
    Location,
    PetOwner,
    ProgramCard,
    Purchase,
    ReopenRequest,
    User,
    VisitLine,
)
from loyalty.models.cards import CardStatus, PurchaseState
from loyalty.selectors.matching import enrolled_program_ids

from .distributor_reports.outbox import write_report

# CardPunches and lock_owner live in punches.py; callers may keep importing them from here.
from .punches import CardPunches, lock_owner


def check_enrolled(*, owner: PetOwner, program_card: ProgramCard, location: Location | None):
    program = program_card.program
    if program.retailer_id == owner.retailer_id:
        return  # the retailer's own custom program
    if program.retailer_id is not None or program.pk not in enrolled_program_ids(
        retailer=owner.retailer, location=location
    ):
        # SPEC §2: purchases of programs the store is not enrolled in do not punch cards.
        raise NotEnrolled(f"The store is not enrolled in {program.name}.")


@transaction.atomic
def add_purchases(
    *,
    owner: PetOwner,
    program_card: ProgramCard,
    quantity: int,
    item: Item | None = None,
    unit_price: Decimal | None = None,
    location: Location | None = None,
    cashier: User | None = None,
    visit_line: VisitLine | None = None,
    exception_reason: str = "",
    purchased_at: datetime | None = None,
) -> list[Purchase]:
    """Add `quantity` punches; SPEC §3: at N the card completes and the rest start the next card."""
    check_enrolled(owner=owner, program_card=program_card, location=location)
    return punch_card(
        owner=owner,
        program_card=program_card,
        quantity=quantity,
        purchase=Purchase(
            retailer_id=owner.retailer_id,
            item=item,
            unit_price=unit_price,
            visit_line=visit_line,
            location=location,
            cashier=cashier,
            purchased_at=purchased_at or timezone.now(),
            exception_reason=exception_reason,
        ),
    )


@transaction.atomic
def punch_card(
    *, owner: PetOwner, program_card: ProgramCard, quantity: int, purchase: Purchase
) -> list[Purchase]:
    """The punching itself, for callers that checked enrollment already (a matched sale line).

    `purchase` is the unsaved template every punch copies (item, price, line, place, time)."""
    punches = CardPunches(owner=owner, program_card_ids=[program_card.pk])
    punches.punch(program_card=program_card, quantity=quantity, purchase=purchase)
    return punches.save()


class ReturnOutcome(StrEnum):
    RETURNED = "returned"
    REOPEN_REQUESTED = "reopen_requested"
    NO_MATCH = "no_match"


@dataclass(frozen=True)
class ReturnResult:
    outcome: ReturnOutcome
    message: str
    purchase: Purchase | None = None


@transaction.atomic
def return_purchase(
    *, owner: PetOwner, item: Item, cashier: User | None = None, visit_line: VisitLine | None = None
) -> ReturnResult:
    """SPEC §3: a return removes the most recent matching purchase; on a redeemed card it records
    a reopen request for the distributor instead of editing history."""
    lock_owner(owner)
    purchase = (
        Purchase.objects.filter(card__owner=owner, item=item, state=PurchaseState.ACTIVE)
        .select_related("card")
        .order_by("-purchased_at", "-id")
        .first()
    )
    if purchase is None:
        return ReturnResult(
            ReturnOutcome.NO_MATCH, f"No purchase of {item} is on this owner's cards."
        )
    card = purchase.card
    if card.status == CardStatus.REDEEMED:
        purchase.state = PurchaseState.REOPEN_REQUESTED
        purchase.save(update_fields=["state"])
        reopen = ReopenRequest.objects.create(
            retailer_id=owner.retailer_id,
            redemption=card.redemptions.get(undone_at__isnull=True),
            purchase=purchase,
            requested_by=cashier,
        )
        write_report(redemption=reopen.redemption, reopen_request=reopen)
        return ReturnResult(
            ReturnOutcome.REOPEN_REQUESTED,
            f"Card {card.card_number} was already redeemed: a reopen request goes to the "
            "distributor.",
            purchase,
        )
    purchase.state = PurchaseState.RETURNED
    purchase.save(update_fields=["state"])
    if card.status == CardStatus.COMPLETE:
        refill_complete_card(card)
    return ReturnResult(
        ReturnOutcome.RETURNED, f"Removed one {item} from card {card.card_number}.", purchase
    )


def refill_complete_card(card: Card) -> None:
    """A complete card lost a punch: take the newest punch of the open card behind it so the
    older card stays complete; with none to take, the card is open again."""
    nxt = Card.objects.filter(
        owner_id=card.owner_id, program_card_id=card.program_card_id, status=CardStatus.OPEN
    ).first()
    moved = (
        nxt.purchases.filter(state=PurchaseState.ACTIVE).order_by("-purchased_at", "-id").first()
        if nxt
        else None
    )
    if moved is None:
        if nxt:
            # Only one card may be open: fold the empty one (its history rows) into this one.
            nxt.purchases.update(card=card)
            nxt.delete()
        card.status, card.completed_at = CardStatus.OPEN, None
        card.save(update_fields=["status", "completed_at"])
        return
    moved.card = card
    moved.save(update_fields=["card"])
