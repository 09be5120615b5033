"""The preview of a paper-card file: each row's pet owner, program card and card outcome, or why
it cannot be imported. Read-only; the import runs the same plan inside its transaction."""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from loyalty.models import Card, Enrollment, Item, PaperImport, PetOwner, ProgramCard, Retailer
from loyalty.models.cards import CardStatus, PurchaseState
from loyalty.models.owners import phone_digits
from loyalty.models.programs import ProgramKind
from loyalty.presentation.text import card_title
from loyalty.rules.paper_cards import PaperRow, decode, read_file
from loyalty.rules.punches import split_punches
from loyalty.rules.upc import gtin_key, item_number_key


@dataclass(frozen=True)
class NewOwner:
    """A pet owner the import will create (the row matched nobody and has enough to make one)."""

    key: str
    first_name: str
    last_name: str
    email: str
    phone: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class RowPlan:
    row: PaperRow
    owner: PetOwner | None = None
    new_owner: NewOwner | None = None
    program_card: ProgramCard | None = None
    item: Item | None = None
    problem: str = ""
    before: str = ""
    after: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def owner_label(self) -> str:
        if self.owner:
            return self.owner.full_name
        if self.new_owner:
            return f"{self.new_owner.full_name} (new)"
        return self.row.name or self.row.email or self.row.phone or "—"

    @property
    def card_label(self) -> str:
        return (
            card_title(self.program_card.program.name, self.program_card.name)
            if (self.program_card)
            else self.row.program_card
        )


@dataclass
class Preview:
    plans: list[RowPlan]

    @property
    def good(self) -> list[RowPlan]:
        return [plan for plan in self.plans if plan.ok]

    @property
    def bad(self) -> list[RowPlan]:
        return [plan for plan in self.plans if not plan.ok]

    @property
    def new_owners(self) -> int:
        return len({plan.new_owner.key for plan in self.good if plan.new_owner})

    @property
    def fingerprint(self) -> str:
        """What the admin was shown: Import refuses if the plan changed since the preview."""
        seen = [
            (p.row.number, p.owner.pk if p.owner else p.new_owner and p.new_owner.key,
             p.program_card and p.program_card.pk, p.row.punches, p.before)
            for p in self.plans if p.ok
        ]  # fmt: skip
        return hashlib.sha256(repr(seen).encode()).hexdigest()[:32]


def _key(text: str) -> str:
    """Card names compare without case, spaces or punctuation: "Acana — Large" = "acana large"."""
    return re.sub(r"[\W_]+", " ", text).casefold().strip()


def importable_cards(*, retailer: Retailer) -> QuerySet[ProgramCard]:
    """Punch cards a paper card can become: enrolled manufacturer programs, own Buy X Get Y."""
    enrolled = Enrollment.objects.filter(retailer=retailer).values("program_id")
    mine = Q(program__retailer=retailer, program__kind=ProgramKind.BUY_X_GET_Y)
    platform = Q(program__retailer__isnull=True, program__kind=ProgramKind.MANUFACTURER)
    return (
        ProgramCard.objects.filter(mine | (platform & Q(program_id__in=enrolled)))
        .filter(program__is_active=True)
        .select_related("program")
        .order_by("program__name", "name")
    )


class CardIndex:
    """The store's importable cards by name and by the codes of their qualifying items."""

    def __init__(self, retailer: Retailer) -> None:
        self.cards = list(importable_cards(retailer=retailer).prefetch_related("qualifying_items"))
        self.by_name: dict[str, list[ProgramCard]] = defaultdict(list)
        self.by_code: dict[str, list[tuple[ProgramCard, Item]]] = defaultdict(list)
        for card in self.cards:
            names = {card.name, card_title(card.program.name, card.name)}
            names.add(f"{card.program.name} {card.name}")
            for name in {_key(n) for n in names}:
                self.by_name[name].append(card)
            for item in card.qualifying_items.all():
                for code in {item.gtin, item.item_number_key} - {""}:
                    self.by_code[code].append((card, item))

    def find(self, text: str) -> tuple[ProgramCard | None, Item | None, str]:
        code = gtin_key(text) or item_number_key(text)
        hits = self.by_code.get(code or "", [])
        if hits:
            if len({card.pk for card, _item in hits}) > 1:
                titles = ", ".join(card_title(c.program.name, c.name) for c, _i in hits)
                return None, None, f"The UPC {text} is on several cards ({titles}): use the name."
            return hits[0][0], hits[0][1], ""
        cards = self.by_name.get(_key(text), [])
        if len(cards) > 1:
            titles = ", ".join(card_title(c.program.name, c.name) for c in cards)
            return None, None, f"“{text}” names {len(cards)} cards ({titles}): use a UPC."
        if cards:
            items = list(cards[0].qualifying_items.all())
            return cards[0], items[0] if len(items) == 1 else None, ""
        return None, None, _unknown_card(text)


def _unknown_card(text: str) -> str:
    platform = ProgramCard.objects.filter(
        Q(name__iexact=text) | Q(program__name__iexact=text),
        program__retailer__isnull=True,
        program__is_active=True,
    ).exists()
    if platform:
        return f"Unknown program card “{text}”: the store is not enrolled in its program."
    return (
        f"Unknown program card “{text}”: use the card's name as Frequent Buyer shows it, "
        "or the UPC of one of its items."
    )


def batch_preview(*, batch: PaperImport) -> Preview:
    """The plan of a stored batch, read against the store as it is now."""
    text = decode(batch.content.encode("utf-8"))
    rows = read_file(text, today=timezone.localdate()).rows
    return plan_rows(retailer=batch.retailer, rows=rows, create_owners=batch.create_owners)


def plan_rows(*, retailer: Retailer, rows: list[PaperRow], create_owners: bool) -> Preview:
    plans = [RowPlan(row=row, problem=row.problem) for row in rows]
    cards = CardIndex(retailer)
    for plan in (p for p in plans if p.ok):
        plan.program_card, plan.item, plan.problem = cards.find(plan.row.program_card)
        required = plan.program_card.purchases_required if plan.program_card else 0
        if plan.ok and plan.row.punches > required:
            plan.problem = f"{plan.row.punches} punches are more than the card holds ({required})."
    OwnerMatcher(retailer, [p.row for p in plans if p.ok], create_owners).apply(plans)
    _outcomes([p for p in plans if p.ok])
    return Preview(plans)


class OwnerMatcher:
    """SPEC §3 dedupe keys: the owner by email, then phone digits, then exact name."""

    def __init__(self, retailer: Retailer, rows: list[PaperRow], create_owners: bool) -> None:
        emails = {r.email.lower() for r in rows if r.email}
        phones = {d for r in rows if (d := phone_digits(r.phone))}
        lasts = {r.last_name.casefold() for r in rows if r.last_name}
        owners = (
            PetOwner.objects.filter(retailer=retailer, merged_into__isnull=True)
            .annotate(last_key=Lower("last_name"))
            .filter(
                Q(email_normalized__in=emails) | Q(phone_digits__in=phones) | Q(last_key__in=lasts)
            )
        )
        self.index: dict[tuple[str, str], list[PetOwner]] = defaultdict(list)
        for owner in owners:
            for kind, value in self._keys(
                owner.email, owner.phone, owner.first_name, owner.last_name
            ):
                self.index[(kind, value)].append(owner)
        self.create_owners = create_owners
        self.pending: dict[tuple[str, str], NewOwner] = {}

    @staticmethod
    def _keys(email: str, phone: str, first: str, last: str) -> list[tuple[str, str]]:
        keys = [("email", email.strip().lower()), ("phone", phone_digits(phone))]
        name = " ".join(f"{first} {last}".split()).casefold()
        return [k for k in [*keys, ("name", name)] if k[1]]

    def apply(self, plans: list[RowPlan]) -> None:
        for plan in (p for p in plans if p.ok):
            self._match(plan)

    def _match(self, plan: RowPlan) -> None:
        row = plan.row
        keys = self._keys(row.email, row.phone, row.first_name, row.last_name)
        for kind, value in keys:
            found = self.index.get((kind, value), [])
            if len(found) > 1:
                plan.problem = f"{len(found)} pet owners have the {kind} {value}: merge them first."
                return
            if found:
                plan.owner = found[0]
                return
            if (kind, value) in self.pending:
                plan.new_owner = self.pending[(kind, value)]
                return
        plan.problem = self._create(plan, keys)

    def _create(self, plan: RowPlan, keys: list[tuple[str, str]]) -> str:
        row = plan.row
        said = [("email", row.email), ("phone", row.phone), ("name", row.name)]
        looked = " or ".join(f"the {kind} {value}" for kind, value in said if value)
        if not (row.first_name and row.last_name and (row.email or row.phone)):
            return (
                f"Owner not found: no pet owner with {looked} (a new one needs a first name, "
                "last name and an email or phone)."
            )
        if not self.create_owners:
            return (
                f"Owner not found: no pet owner with {looked}. Tick “Create pet owners not "
                "found” to create them."
            )
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                return f"Owner not found, and “{row.email}” is not a valid email to create one."
        plan.new_owner = NewOwner(keys[0][1], row.first_name, row.last_name, row.email, row.phone)
        self.pending.update(dict.fromkeys(keys, plan.new_owner))
        return ""


def _outcomes(plans: list[RowPlan]) -> None:
    """What each row does to its card, rows in file order after the owner's open card."""
    owner_ids = {plan.owner.pk for plan in plans if plan.owner}
    cards = Card.objects.filter(owner_id__in=owner_ids, status=CardStatus.OPEN).annotate(
        active=Count("purchases", filter=Q(purchases__state=PurchaseState.ACTIVE))
    )
    current: dict[tuple[object, int], int] = {
        (c.owner_id, c.program_card_id): c.active for c in cards
    }
    for plan in plans:
        assert plan.program_card is not None  # a row without a card has a problem
        who: object = plan.owner.pk if plan.owner else plan.new_owner and plan.new_owner.key
        pair, required = (who, plan.program_card.pk), plan.program_card.purchases_required
        now = current.get(pair, 0)
        plan.before = f"{now}/{required}" if pair in current else "no open card"
        filled = 0
        for chunk in split_punches(current=now, required=required, quantity=plan.row.punches):
            now += chunk
            if now == required:
                filled, now = filled + 1, 0
        said = [f"{filled} complete card{'s' if filled > 1 else ''}"] if filled else []
        plan.after = ", ".join(said + ([f"{now}/{required}"] if now or not filled else []))
        current[pair] = now
