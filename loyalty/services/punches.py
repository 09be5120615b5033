"""Punching an owner's cards in a fixed number of queries, however many lines or cards (SPEC §3,
§9: the database work of a sale does not grow with its lines)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import connection

from loyalty.models import Card, PetOwner, ProgramCard, Purchase
from loyalty.models.cards import COUNTED_STATES, CardStatus, PurchaseState
from loyalty.rules.card_windows import is_past_window
from loyalty.rules.punches import split_punches
from loyalty.selectors.loyalty_read import utc
from loyalty.selectors.prepared_cursor import preparing_cursor
from loyalty.selectors.sql_rows import any_of, columns, insert, instance, new
from loyalty.services.messages.outbox import queue_card_messages

from .card_windows import close_expired


def lock_owner(owner: PetOwner) -> PetOwner:
    """Serialise every change to one owner's cards: two tabs or two workers never interleave.
    The owner as read under the lock; its SQL written once (the ORM compiled it each sale)."""
    locked = _locked_owner("FROM loyalty_petowner o WHERE o.id = %s", [owner.pk])
    if locked is None:
        raise PetOwner.DoesNotExist("PetOwner matching query does not exist.")
    return locked


LINKED_OWNER_FROM = """
FROM loyalty_petowner o
WHERE o.id = (SELECT l.owner_id FROM loyalty_poslink l
              WHERE l.retailer_id = %s AND l.pos_system = %s AND l.pos_customer_id = %s)
"""


def lock_linked_owner(*, retailer_id: int, pos_system: str, pos_customer_id: str):
    """The owner the POS customer is linked to in this store (SPEC §3: at most one), read and
    locked as `lock_owner` locks it, in one statement instead of the link's read and the lock's
    (the API sale, SPEC §9); None when the customer is not linked."""
    return _locked_owner(LINKED_OWNER_FROM, [retailer_id, pos_system, pos_customer_id])


def _locked_owner(from_where: str, params: list) -> PetOwner | None:
    parts = ["SELECT", columns(PetOwner, "o"), from_where]
    if connection.features.has_select_for_update:  # SQLite locks the whole database instead
        parts.append("FOR UPDATE")
    with preparing_cursor(connection) as cursor:
        cursor.execute(" ".join(parts), params)
        row = cursor.fetchone()
    return None if row is None else instance(PetOwner, row)


PUNCHES_PER_INSERT = 1000


class CardPunches:
    """Punches for one owner inside one transaction: the owner is locked and the open cards are
    read once; `punch()` only plans in memory, and `save()` writes the plan in a fixed number of
    statements: one UPDATE closing cards past their window and one for the open cards it
    completed (both before any new open card exists, so the one-open-card index never sees
    two), one INSERT of the new cards, one INSERT of every punch, and the messages outbox's
    writes when a card completed or reached N-1. Nothing else changes the owner's cards
    meanwhile: the lock keeps other transactions out, and the caller makes no other card changes
    before `save()`."""

    def __init__(
        self, *, owner: PetOwner, program_card_ids: Iterable[int], locked: bool = False
    ) -> None:
        if not locked:
            lock_owner(owner)
        self.owner = owner
        self._open: dict[int, tuple[Card | None, int]] = {}
        self._unsaved: list[Purchase] = []
        self._new_cards: list[Card] = []
        self._completing: list[Card] = []
        self._expiring: list[Card] = []
        # The cards these punches completed (filled in by `save()`, when every card has its id).
        self.completed_card_ids: set[int] = set()
        # Program cards punched since the last save, with their N (for "one more to go").
        self._touched: dict[int, int] = {}
        self._read_open_cards(set(program_card_ids))

    def _read_open_cards(self, program_card_ids: set[int]) -> None:
        if not program_card_ids:
            return
        self._open.update(dict.fromkeys(program_card_ids, (None, 0)))
        # At most one open card per program card (the conditional unique constraint).
        for card, active in _open_cards(self.owner, program_card_ids):
            self._open[card.program_card_id] = (card, active)

    def punch(self, *, program_card: ProgramCard, quantity: int, purchase: Purchase) -> None:
        """SPEC §3: one punch per unit; at N the card completes and the rest start the next."""
        if program_card.pk not in self._open:
            self._read_open_cards({program_card.pk})
        card, current = self._open[program_card.pk]
        if card is not None and self._past_window(card, program_card, purchase):
            # Card windows: the open card closed as expired; this purchase starts a new one.
            card.status = CardStatus.EXPIRED
            self._expiring.append(card)
            card, current = None, 0
        required = program_card.purchases_required
        self._touched[program_card.pk] = required
        for chunk in split_punches(current=current, required=required, quantity=quantity):
            if card is None:
                card = Card(
                    retailer_id=self.owner.retailer_id, owner=self.owner, program_card=program_card
                )
                self._new_cards.append(card)
            self._unsaved += (_copy(purchase, card) for _ in range(chunk))
            if current + chunk == required:
                card.status, card.completed_at = CardStatus.COMPLETE, purchase.purchased_at
                self._completing.append(card)
                card, current = None, 0
            else:
                current += chunk
        self._open[program_card.pk] = (card, current)

    @staticmethod
    def _past_window(card: Card, program_card: ProgramCard, purchase: Purchase) -> bool:
        return card.pk is not None and is_past_window(
            first_punch=getattr(card, "first_punch", None),
            months=program_card.completion_window_months,
            at=purchase.purchased_at,
        )

    def save(self) -> list[Purchase]:
        """Write the cards and punches planned since the last save; the punches, in order."""
        # Expired cards close before any new open card exists (the one-open-card index).
        expiring, self._expiring = self._expiring, []
        close_expired([card.pk for card in expiring])
        _complete_existing([card for card in self._completing if card.pk is not None])
        new_cards, self._new_cards = self._new_cards, []
        if new_cards:
            Card.objects.bulk_create(new_cards)
        completing, self._completing = self._completing, []
        self.completed_card_ids.update(card.pk for card in completing)
        made, self._unsaved = self._unsaved, []
        # SQL written once (SPEC §9): Django compiled the bulk_create anew on every sale. In
        # batches, as bulk_create would: SQLite takes at most 32,766 values in one statement.
        for start in range(0, len(made), PUNCHES_PER_INSERT):
            insert(made[start : start + PUNCHES_PER_INSERT])
        punches = made
        self._queue_messages({card.pk for card in completing})
        return punches

    def _queue_messages(self, completed: set[int]) -> None:
        """SPEC §8: "reward ready" for each card completed now, "one more to go" for each open
        card these punches brought to N-1; written with the punches (no query if neither)."""
        touched, self._touched = self._touched, {}
        one_more = []
        for program_card_id, required in touched.items():
            card, current = self._open[program_card_id]
            if card is not None and required > 1 and current == required - 1:
                one_more.append(card.pk)
        if completed or one_more:
            queue_card_messages(
                owner=self.owner, completed_card_ids=completed, one_more_card_ids=one_more
            )


def _complete_existing(cards: list[Card]) -> None:
    """One UPDATE per completion time (a sale's punches share one)."""
    by_time: dict[datetime | None, list[int]] = defaultdict(list)
    for card in cards:
        by_time[card.completed_at].append(card.pk)
    for completed_at, ids in by_time.items():
        Card.objects.filter(pk__in=ids).update(
            status=CardStatus.COMPLETE, completed_at=completed_at
        )


OPEN_CARDS_SQL = """
SELECT {card},
       (SELECT COUNT(*) FROM loyalty_purchase p WHERE p.card_id = c.id AND p.state = %s),
       (SELECT MIN(p.purchased_at) FROM loyalty_purchase p
        WHERE p.card_id = c.id AND p.state IN (%s, %s))
FROM loyalty_card c
WHERE c.owner_id = %s AND c.status = %s AND c.program_card_id
"""


def _open_cards(owner: PetOwner, program_card_ids: set[int]) -> list[tuple[Card, int]]:
    """The owner's open cards of these program cards, each with its active punches, and its
    first counted punch's time as `first_punch` (card windows start there). One query,
    its SQL written once: the ORM compiled it anew on every sale (SPEC §9)."""
    by_program_card, ids = any_of(sorted(program_card_ids))
    sql = " ".join((OPEN_CARDS_SQL.replace("{card}", columns(Card, "c")), by_program_card))
    states = [str(state) for state in (PurchaseState.ACTIVE, *COUNTED_STATES)]
    cards = []
    with preparing_cursor(connection) as cursor:  # prepared on PostgreSQL: planned once
        cursor.execute(sql, [*states, owner.pk, str(CardStatus.OPEN), *ids])
        for *row, active, first_punch in cursor.fetchall():
            card = instance(Card, row)
            card.first_punch = utc(first_punch)  # type: ignore[attr-defined]
            cards.append((card, active))
    return cards


def _copy(template: Purchase, card: Card) -> Purchase:
    fields = {f.attname: getattr(template, f.attname) for f in Purchase._meta.concrete_fields}
    del fields["id"], fields["card_id"]
    return new(Purchase, **fields, card=card)
