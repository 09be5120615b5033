"""My Custom Programs (SPEC §2): a store's own Buy X Get Y, Pre-Paid Membership and Cash Back.

Writes are one transaction each and audited; the reads at the bottom serve the admin screens.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from loyalty.contracts.registry import is_full_integration
from loyalty.errors import DomainError
from loyalty.models import (
    Card,
    CashBackPlan,
    Item,
    PrepaidPlan,
    Program,
    ProgramCard,
    Retailer,
    User,
)
from loyalty.models.cards import COUNTED_STATES, CardStatus
from loyalty.models.programs import CUSTOM_KINDS, ProgramKind, RewardKind
from loyalty.rules.free_goods import FIXED_LIST
from loyalty.rules.upc import item_number_key
from loyalty.selectors.platform_items import Collision, platform_collisions

from .audit import record_audit

# SPEC §2: a card shown to cashiers has 2 to 30 punches; a fully integrated POS counts for
# them, so its cards may ask for up to 100.
MIN_PURCHASES = 2
CASHIER_CARD_LIMIT = 30
INTEGRATED_LIMIT = 100


def max_purchases_required(retailer: Retailer) -> int:
    return INTEGRATED_LIMIT if is_full_integration(retailer.pos_integration) else CASHIER_CARD_LIMIT


@dataclass(frozen=True)
class CodeEntry:
    """One line of a codes textarea: a UPC/EAN (its GTIN-14 key) or a POS item number."""

    code: str
    gtin: str = ""
    description: str = ""

    @property
    def key(self) -> str:
        return self.gtin or item_number_key(self.code)


@dataclass(frozen=True)
class ProgramDetails:
    name: str
    description: str = ""
    picture: UploadedFile | None = None  # a new picture; None keeps the current one
    remove_picture: bool = False


@dataclass(frozen=True)
class BuyXGetYTerms:
    purchases_required: int
    reward_kind: str
    qualifying: list[CodeEntry]
    redeemable: list[CodeEntry] = field(default_factory=list)
    discount_amount: Decimal | None = None
    # Card windows: months from the first punch to complete a card (None: no limit).
    completion_window_months: int | None = None


@dataclass(frozen=True)
class PrepaidTerms:
    visits: int
    bonus_visits: int
    price: Decimal
    visit_description: str


@dataclass(frozen=True)
class CashBackTerms:
    percent: Decimal
    basis: str
    purchases_required: int


Terms = BuyXGetYTerms | PrepaidTerms | CashBackTerms


@transaction.atomic
def create_program(
    *, retailer: Retailer, actor: User, kind: str, details: ProgramDetails, terms: Terms
) -> Program:
    program = Program(kind=kind, retailer=retailer)
    _apply_details(program, details)
    program.save()
    _save_terms(program, terms)
    _audit(program, actor, "custom_program.created", terms)
    return program


@transaction.atomic
def update_program(
    *, program: Program, actor: User, details: ProgramDetails, terms: Terms
) -> Program:
    """Edits apply to the next sale: matching reads the program's current items and X."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    _apply_details(program, details)
    program.save()
    _save_terms(program, terms)
    _audit(program, actor, "custom_program.changed", terms)
    return program


@transaction.atomic
def set_active(*, program: Program, actor: User, active: bool) -> Program:
    """Deactivate or reactivate. A deactivated program punches nothing; its cards stay."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.is_active != active:
        program.is_active = active
        program.save(update_fields=["is_active"])
        action = "custom_program.reactivated" if active else "custom_program.deactivated"
        record_audit(retailer=program.retailer, actor=actor, action=action, target=program, data={})
    return program


def _apply_details(program: Program, details: ProgramDetails) -> None:
    program.name, program.description = details.name, details.description
    if details.picture is not None:
        program.picture = details.picture
    elif details.remove_picture:
        program.picture = ""


def _save_terms(program: Program, terms: Terms) -> None:
    if isinstance(terms, BuyXGetYTerms):
        _save_card(program, terms)
    elif isinstance(terms, PrepaidTerms):
        PrepaidPlan.objects.update_or_create(
            program=program,
            defaults={
                "visits": terms.visits,
                "bonus_visits": terms.bonus_visits,
                "price": terms.price,
                "visit_description": terms.visit_description,
            },
        )
    else:
        CashBackPlan.objects.update_or_create(
            program=program,
            defaults={
                "percent": terms.percent,
                "basis": terms.basis,
                "purchases_required": terms.purchases_required,
            },
        )


def card_name(terms: BuyXGetYTerms) -> str:
    if terms.reward_kind == RewardKind.DISCOUNT_ITEM:
        return f"Buy {terms.purchases_required} Get ${terms.discount_amount} Off"
    return f"Buy {terms.purchases_required} Get 1 Free"


def _save_card(program: Program, terms: BuyXGetYTerms) -> None:
    card = program.cards.first() or ProgramCard(program=program, free_good_rule=FIXED_LIST)
    card.name = card_name(terms)
    card.purchases_required = terms.purchases_required
    card.reward_kind = terms.reward_kind
    is_discount = terms.reward_kind == RewardKind.DISCOUNT_ITEM
    card.discount_amount = terms.discount_amount if is_discount else None
    card.completion_window_months = terms.completion_window_months
    card.save()
    retailer = program.retailer
    assert retailer is not None  # a custom program is always a store's own (check constraint)
    qualifying = items_for_codes(retailer=retailer, entries=terms.qualifying)
    # A discount with no redeemable list applies to one of the qualifying items.
    redeemable = (
        items_for_codes(retailer=retailer, entries=terms.redeemable)
        if terms.redeemable
        else qualifying
    )
    card.qualifying_items.set(qualifying)
    card.redeemable_items.set(redeemable)
    complete_cards_reaching(card)


def complete_cards_reaching(program_card: ProgramCard) -> int:
    """After X was lowered, open cards that already hold X punches are complete: the owner has
    earned the reward, and punching past X would break the card arithmetic."""
    full = (
        Card.objects.filter(program_card=program_card, status=CardStatus.OPEN)
        .annotate(punches=Count("purchases", filter=Q(purchases__state__in=COUNTED_STATES)))
        .filter(punches__gte=program_card.purchases_required)
        .values_list("pk", flat=True)
    )
    return Card.objects.filter(pk__in=list(full)).update(
        status=CardStatus.COMPLETE, completed_at=timezone.now()
    )


def code_collisions(entries: list[CodeEntry]) -> list[Collision]:
    """SPEC §2: the codes that are a platform item's (as UPC-A, EAN-13 or GTIN-14, or as an
    item number): matching must never let the store's own item hide that product."""
    return platform_collisions(
        (entry.code, entry.gtin, "" if entry.gtin else item_number_key(entry.code))
        for entry in entries
    )


def items_for_codes(*, retailer: Retailer, entries: list[CodeEntry]) -> list[Item]:
    """Each code as the store's own Item, reused when the store already has it (a UPC-A and its
    EAN-13 are one GTIN), created otherwise. A description given updates the item's. A platform
    item's code is refused (the form says so first; this guards every other caller)."""
    collisions = code_collisions(entries)
    if collisions:
        raise DomainError(collisions[0].message)
    items = []
    for entry in entries:
        if entry.gtin:
            found = Item.objects.filter(retailer=retailer, gtin=entry.gtin).first()
        else:
            found = Item.objects.filter(
                retailer=retailer, item_number_key=item_number_key(entry.code)
            ).first()
        if found is None:
            found = Item(
                retailer=retailer,
                gtin=entry.gtin,
                item_number="" if entry.gtin else entry.code,
                description=entry.description or entry.code,
            )
            found.save()
        elif entry.description and entry.description != found.description:
            found.description = entry.description
            found.save(update_fields=["description"])
        items.append(found)
    return items


def _audit(program: Program, actor: User, action: str, terms: Terms) -> None:
    data = {"kind": program.kind, "name": program.name, "active": program.is_active}
    for key, value in vars(terms).items():
        if isinstance(value, list):
            value = [entry.code for entry in value]
        data[key] = value if isinstance(value, int | list) else str(value)
    record_audit(retailer=program.retailer, actor=actor, action=action, target=program, data=data)


# --- Reads for the admin screens -------------------------------------------------------------


def custom_programs(*, retailer: Retailer) -> QuerySet[Program]:
    """Every custom program of the store with what its list row shows, in four queries."""
    return (
        Program.objects.filter(retailer=retailer, kind__in=CUSTOM_KINDS)
        .select_related("prepaid_plan", "cash_back_plan")
        .prefetch_related("cards__qualifying_items", "cards__redeemable_items")
        .order_by("name", "pk")
    )


def buy_x_get_y_card(program: Program) -> ProgramCard | None:
    if program.kind != ProgramKind.BUY_X_GET_Y:
        return None
    cards = list(program.cards.all())  # prefetched on the list screen
    return cards[0] if cards else None
