"""Pet owners as the screens show them: search, cards with progress, the owner page, and the
card history of the owner administration."""

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from loyalty.models import Card, PetOwner, Purchase, Redemption, Retailer
from loyalty.models.cards import COUNTED_STATES, CardStatus, PurchaseState, card_number
from loyalty.models.owners import phone_digits
from loyalty.presentation.text import card_title
from loyalty.rules.astro_ids import scanned_owner_id
from loyalty.services.points import points_balance
from loyalty.services.redemptions import allowed_redeemable

from .prepared import PreparedRead
from .sql_rows import columns, instance


def search_owners(*, retailer: Retailer, text: str, limit: int = 50) -> list[PetOwner]:
    """SPEC §3: a text in first name, last name or email; a phone by its digits.

    With no text, Sally Pet Owner comes first and the rest in name order. The text of an owner's
    card page QR code (SPEC §8) finds that owner alone."""
    text = text.strip()
    if scanned_owner_id(text) is not None:
        scanned = scanned_owner(retailer=retailer, text=text)
        return [scanned] if scanned else []
    if text:
        sql, params = search_statement(retailer=retailer, text=text, limit=limit)
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, params)
            return [instance(PetOwner, row) for row in cursor.fetchall()]
    owners = PetOwner.objects.filter(retailer=retailer, merged_into__isnull=True)
    # Two reads instead of ORDER BY is_test, which no index serves over 100,000 owners.
    first = list(owners.filter(is_test=True)[:limit])
    rest = owners.filter(is_test=False).order_by("last_name", "first_name")
    return first + list(rest[: limit - len(first)])


def scanned_owner(*, retailer: Retailer, text: str) -> PetOwner | None:
    """The owner whose QR code's text (`ASTRO-<id>-<check>`) this is, in this store only; a
    merged-away owner's code finds the owner kept. None for any other text, without a query."""
    owner_id = scanned_owner_id(text)
    if owner_id is None:
        return None
    owner = PetOwner.objects.filter(retailer=retailer, pk=owner_id).first()
    if owner is not None and owner.merged_into_id is not None:
        owner = PetOwner.objects.filter(retailer=retailer, pk=owner.merged_into_id).first()
    return owner


def search_statement(*, retailer: Retailer, text: str, limit: int = 50) -> tuple[str, list]:
    """The SELECT of the owners a (stripped, non-empty) text finds in a first name, a last name
    or an email (or by phone digits), in name order, and its parameters. Each field's
    comparison is the one Django's icontains (contains for the digits) writes on this database.

    On PostgreSQL one trigram index over the three texts (migration 0021) finds the candidates,
    each field is then compared on its own, and the digits have their own index (SPEC §9);
    SQLite reads the table. The SQL is written once: the ORM compiled the query anew on every
    keystroke, a third of the search's Python (issue 12)."""
    db = connections[DEFAULT_DB_ALIAS]
    postgres = db.vendor == "postgresql"
    pattern = _anywhere(db, text)
    # Emails are kept lower-cased. SQLite's LIKE folds ASCII letters only, so its email part
    # gets the text lower-cased; PostgreSQL's UPPER folds every letter, so one pattern serves
    # the index and each field (a field that matches, the index's text matches too).
    email = pattern if postgres else _anywhere(db, text.lower())
    params: list = [retailer.pk, *([pattern] if postgres else []), pattern, pattern, email]
    digits = phone_digits(text)
    with_phone = len(digits) >= 3
    if with_phone:
        params.append(_anywhere(db, digits))
    return _search_sql(db.vendor, with_phone), [*params, limit]


def _anywhere(db, value: str) -> str:
    """The LIKE pattern of a text anywhere in the column, its own % and _ taken literally."""
    return f"%{db.ops.prep_for_like_query(value)}%"


# The expression of migration 0021's trigram index, as its own index expression.
OWNER_TEXT = (
    "UPPER(o.first_name::text || ' ' || o.last_name::text || ' ' || o.email_normalized::text)"
)


@cache
def _search_sql(vendor: str, with_phone: bool) -> str:
    db: Any = connections[DEFAULT_DB_ALIAS]  # each backend has `operators`; the base does not

    def like(lookup: str, column: str) -> str:
        column_sql = db.ops.lookup_cast(lookup, "CharField") % f"o.{column}"
        return f"{column_sql} {db.operators[lookup] % '%s'}"

    # Our columns and Django's operators; the texts are parameters.
    texts = " OR ".join(
        like("icontains", name) for name in ("first_name", "last_name", "email_normalized")
    )
    if vendor == "postgresql":
        texts = f"{OWNER_TEXT} LIKE UPPER(%s) AND ({texts})"
    found = f"({texts}) OR {like('contains', 'phone_digits')}" if with_phone else texts
    return (
        f"SELECT {columns(PetOwner, 'o')} FROM {PetOwner._meta.db_table} o"  # noqa: S608
        f" WHERE o.retailer_id = %s AND o.merged_into_id IS NULL AND ({found})"
        " ORDER BY o.last_name, o.first_name LIMIT %s"
    )


_STATUS_ORDER: dict[str, int] = {
    CardStatus.COMPLETE: 0,
    CardStatus.OPEN: 1,
    CardStatus.REDEEMED: 2,
    CardStatus.EXPIRED: 3,
}
_STATUS_WORDS = dict(CardStatus.choices)
_ROW = 2_147_483_647  # stands in for each card's id: one reverse() for every card's URL


def _percent(punches: int, required: int) -> int:
    return min(100, round(100 * punches / required))


def _progress_words(punches: int, required: int) -> str:
    return f"{punches} of {required} purchases"


class _Progress:
    """ "5/12" and the bar's width, for a card of `punches` of `required` purchases."""

    __slots__ = ()
    punches: int
    required: int

    @property
    def progress(self) -> str:
        return f"{self.punches}/{self.required}"

    @property
    def percent(self) -> int:
        return _percent(self.punches, self.required)


@dataclass(frozen=True)
class CardView(_Progress):
    """A card with its progress (owner page, card page). The template reads the same names
    of it as of a RegisterCard."""

    card: Card
    punches: int
    required: int

    @property
    def pk(self) -> int:
        return self.card.pk

    @property
    def key(self) -> str:
        return str(self.card.pk)

    @property
    def progress_words(self) -> str:
        return _progress_words(self.punches, self.required)

    @property
    def percent_text(self) -> str:
        return str(self.percent)

    @property
    def status(self) -> str:
        return self.card.status

    @property
    def status_display(self) -> str:
        return _STATUS_WORDS.get(self.card.status, self.card.status)

    @property
    def number(self) -> str:
        return self.card.card_number

    @property
    def notes(self) -> str:
        return self.card.notes

    @property
    def title(self) -> str:
        program_card = self.card.program_card
        return card_title(program_card.program.name, program_card.name)

    @property
    def details_url(self) -> str:
        return reverse("card_details", args=[self.card.pk])


def owner_cards(*, owner: PetOwner) -> list[CardView]:
    """The owner's cards, open and complete first, in program order; punches counted in SQL."""
    cards = (
        Card.objects.filter(owner=owner)
        .select_related("program_card__program")
        .annotate(punches=Count("purchases", filter=Q(purchases__state__in=COUNTED_STATES)))
        .order_by("program_card__program__name", "program_card__name", "created_at")
    )
    views = [CardView(c, c.punches, c.program_card.purchases_required) for c in cards]
    return sorted(views, key=lambda v: _STATUS_ORDER[v.card.status])


@dataclass(frozen=True, slots=True)
class RegisterCard(_Progress):
    """A card as the checkout and Finish screens list it: what _cards.html puts out, read as
    plain values (no model per card, card type and program)."""

    pk: int
    key: str  # the pk as the page writes it (text: a number costs the template twice as much)
    status: str
    notes: str
    title: str
    punches: int
    required: int
    details_url: str
    progress_words: str  # "3 of 12 purchases"
    percent_text: str

    @property
    def status_display(self) -> str:
        return _STATUS_WORDS.get(self.status, self.status)

    @property
    def number(self) -> str:
        return card_number(self.pk)


_REGISTER_CARDS = PreparedRead(
    lambda owner_id: (
        Card.objects.filter(owner_id=owner_id)
        .exclude(status=CardStatus.REDEEMED)
        .values_list(
            "id",
            "status",
            "notes",
            "program_card__program__name",
            "program_card__name",
            "program_card__purchases_required",
        )
        .annotate(punches=Count("purchases", filter=Q(purchases__state__in=COUNTED_STATES)))
        .order_by("program_card__program__name", "program_card__name", "created_at")
    )
)


def register_cards(*, owner_id: int) -> list[RegisterCard]:
    """owner_cards without the redeemed ones, in one query: the register shows what can still
    earn or be redeemed, and an owner's redeemed cards pile up over the years (History has
    them)."""
    rows = _REGISTER_CARDS.rows(owner_id)
    head, tail = reverse("card_details", args=[_ROW]).split(str(_ROW))
    cards = []
    for pk, status, notes, program, name, required, punches in rows:
        title, url = card_title(program, name), f"{head}{pk}{tail}"
        words, percent = _progress_words(punches, required), str(_percent(punches, required))
        cards.append(
            RegisterCard(pk, str(pk), status, notes, title, punches, required, url, words, percent)
        )
    return sorted(cards, key=lambda card: _STATUS_ORDER[card.status])


def card_purchases(*, card: Card) -> QuerySet[Purchase]:
    """Expand Details: every purchase with date, item, quantity, location and sale."""
    return card.purchases.select_related("item", "location", "visit_line", "cashier").order_by(
        "-purchased_at", "-id"
    )


def owner_page(*, owner: PetOwner) -> dict:
    return {
        "owner": owner,
        "cards": owner_cards(owner=owner),
        "points": points_balance(owner),
        "pets": list(owner.pets.all()),
        "recent_points": list(owner.points_entries.order_by("-created_at", "-id")[:10]),
    }


@dataclass(frozen=True)
class CardHistory:
    card: Card
    purchases: list[Purchase]
    redemptions: list[Redemption]
    # SPEC §3 Undo: for a redeemed card, the reward still standing and the other items its
    # free-good rule allows (Remove and Reselect).
    reward: Redemption | None = None
    reselect_items: list = field(default_factory=list)

    @property
    def progress(self) -> str:
        punches = sum(1 for p in self.purchases if p.state in COUNTED_STATES)
        return f"{punches}/{self.card.program_card.purchases_required}"


def card_history(*, owner: PetOwner) -> list[CardHistory]:
    """Every card of the owner, redeemed ones too, newest first; four queries in all."""
    purchases = Purchase.objects.select_related("item", "location", "visit_line").order_by(
        "purchased_at", "id"
    )
    redemptions = Redemption.objects.select_related(
        "item", "location", "cashier", "undone_by"
    ).order_by("redeemed_at", "id")
    cards = (
        Card.objects.filter(owner=owner)
        .select_related("program_card__program")
        .prefetch_related(
            Prefetch("purchases", queryset=purchases, to_attr="history_purchases"),
            Prefetch("redemptions", queryset=redemptions, to_attr="history_redemptions"),
            "program_card__redeemable_items",
        )
        .order_by("-created_at", "-id")
    )
    return [_history(card) for card in cards]


def _history(card: Card) -> CardHistory:
    # Both lists were prefetched into these attributes by card_history.
    purchases: list[Purchase] = card.history_purchases  # type: ignore[attr-defined]
    redemptions: list[Redemption] = card.history_redemptions  # type: ignore[attr-defined]
    reward = next((r for r in redemptions if r.undone_at is None), None)
    items = []
    if reward is not None and card.status == CardStatus.REDEEMED:
        active = [p for p in purchases if p.state == PurchaseState.ACTIVE]
        allowed = allowed_redeemable(
            card=card, items=list(card.program_card.redeemable_items.all()), purchases=active
        )
        items = [item for item in allowed if item.pk != reward.item_id]
    return CardHistory(card, purchases, redemptions, reward, items)
