"""Edit Card Notes: free text on a card, such as a paper card's original dates (S43)."""

from django.db import transaction

from loyalty.models import Card, User

from .audit import record_audit

MAX_NOTES = 4000


@transaction.atomic
def edit_card_notes(*, card: Card, notes: str, actor: User) -> Card:
    """Save the card's notes; a change is audited with what the notes said before."""
    card = Card.objects.select_for_update().get(pk=card.pk)
    notes = "\n".join(line.rstrip() for line in notes.strip().splitlines())[:MAX_NOTES]
    if notes == card.notes:
        return card  # nothing changed: a second click records nothing
    before, card.notes = card.notes, notes
    card.save(update_fields=["notes"])
    record_audit(
        retailer=card.retailer,
        actor=actor,
        action="card.notes_edited",
        target=card,
        data={"before": before, "after": notes},
    )
    return card
