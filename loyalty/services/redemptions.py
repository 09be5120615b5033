"""Redeeming complete cards (SPEC §3 Redemption)."""

from collections.abc import Collection, Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from loyalty.errors import (
    AlreadyRedeemed,
    CardNotComplete,
    ItemNotRedeemable,
    MissingContactData,
)
from loyalty.models import Card, Item, Location, Purchase, Redemption, User, Visit
from loyalty.models.cards import CardStatus, PurchaseState
from loyalty.rules.free_goods import Candidate, Punch, allowed_items

from .card_windows import expire_owner_cards
from .distributor_reports.outbox import is_reportable, write_report  # noqa: F401


def redeemable_items(*, card: Card, inventory: Collection[str] | None = None) -> list[Item]:
    """The items the card's free-good rule allows, limited to the store's inventory when known.

    `inventory` holds item ids as strings (what the POS stocks, mapped to our items)."""
    items = list(card.program_card.redeemable_items.all())
    purchases = card.purchases.filter(state=PurchaseState.ACTIVE).select_related("item")
    return allowed_redeemable(card=card, items=items, purchases=purchases, inventory=inventory)


def allowed_redeemable(
    *,
    card: Card,
    items: Sequence[Item],
    purchases: Iterable[Purchase],
    inventory: Collection[str] | None = None,
) -> list[Item]:
    """The rule applied to rows already loaded, so a screen can load many cards in bulk."""
    punches = [
        Punch(str(p.item_id), p.item.size if p.item else "", p.unit_price) for p in purchases
    ]
    allowed = allowed_items(
        rule=card.program_card.free_good_rule,
        candidates=[Candidate(str(i.pk), i.size, i.list_price) for i in items],
        punches=punches,
        inventory=inventory,
    )
    keys = {candidate.key for candidate in allowed}
    return [item for item in items if str(item.pk) in keys]


def missing_contact_data(card: Card) -> list[str]:
    """What the program card requires at redemption that the owner's record lacks."""
    program_card, owner = card.program_card, card.owner
    missing = []
    if program_card.requires_email and not owner.email:
        missing.append("email")
    if program_card.requires_address and not owner.has_address:
        missing.append("address")
    return missing


def _check_redeemable(card: Card) -> None:
    """SPEC §3: only a complete card, once, with the contact data its program requires."""
    if card.status == CardStatus.REDEEMED:
        raise AlreadyRedeemed(f"Card {card.card_number} has already been redeemed.")
    if card.status == CardStatus.EXPIRED:
        raise CardNotComplete(
            f"Card {card.card_number} expired: it was not completed within "
            f"{card.program_card.completion_window_months} months of its first punch."
        )
    if card.status != CardStatus.COMPLETE:
        count = card.purchases.filter(state=PurchaseState.ACTIVE).count()
        raise CardNotComplete(
            f"Card {card.card_number} is not complete yet "
            f"({count}/{card.program_card.purchases_required})."
        )
    missing = missing_contact_data(card)
    if missing:
        raise MissingContactData(
            f"{card.program_card.program.name} needs the pet owner's {' and '.join(missing)} "
            "before this reward can be redeemed.",
            missing,
        )


@transaction.atomic
def redeem_card(
    *,
    card: Card,
    item_id: int,
    cashier: User | None = None,
    location: Location | None = None,
    visit: Visit | None = None,
    inventory: Collection[str] | None = None,
    replaces: Redemption | None = None,
    report: bool = True,
) -> Redemption:
    """Redeem a complete card once: a row lock orders two cashiers; a unique constraint backs it.

    `card` passed the tenancy gate; `item_id` is the cashier's choice among the items the card's
    free-good rule allows (anything else is refused). Remove and Reselect (services/undo.py)
    names the redemption this one `replaces`, and writes a correction instead of a report when
    the replaced one was already reported (`report` False)."""
    card = (
        Card.objects.select_for_update(of=("self",))
        .select_related("program_card__program", "owner")
        .get(pk=card.pk, retailer_id=card.retailer_id)
    )
    if card.status == CardStatus.OPEN and expire_owner_cards(owner_id=card.owner_id):
        card.refresh_from_db(fields=["status"])  # card windows: closed as expired just now
    _check_redeemable(card)
    item = next(
        (i for i in redeemable_items(card=card, inventory=inventory) if i.pk == item_id), None
    )
    if item is None:
        raise ItemNotRedeemable("That item cannot be redeemed on this card.")
    try:
        with transaction.atomic():
            redemption = Redemption.objects.create(
                retailer_id=card.retailer_id,
                card=card,
                item=item,
                cashier=cashier,
                location=location,
                visit=visit,
                redeemed_at=timezone.now(),
                replaces=replaces,
            )
    except IntegrityError as exc:
        raise AlreadyRedeemed(f"Card {card.card_number} has already been redeemed.") from exc
    card.status = CardStatus.REDEEMED
    card.save(update_fields=["status"])
    # SPEC §6: the report is written in this same transaction (the outbox).
    if report:
        write_report(redemption=redemption)
    return redemption
