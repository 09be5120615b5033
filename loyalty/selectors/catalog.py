"""Reads of Frequent Buyer and My Items/Services, scoped by retailer, and their id look-ups."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from loyalty.models import Card, Enrollment, Item, Program, ProgramCard, Retailer
from loyalty.models.cards import CardStatus
from loyalty.models.programs import ProgramKind
from loyalty.rules.upc import clean_code, item_number_key


def visible_programs(retailer_id: int) -> QuerySet[Program]:
    """The manufacturer programs a store may open: any active one, or one it is enrolled in."""
    visible = Q(is_active=True) | Q(Exists(_store_enrollments(retailer_id)))
    return _manufacturer_programs().filter(visible).select_related("manufacturer", "brand")


def _manufacturer_programs() -> QuerySet[Program]:
    return Program.objects.filter(kind=ProgramKind.MANUFACTURER, retailer__isnull=True)


def _store_enrollments(retailer_id: int) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(retailer_id=retailer_id, program=OuterRef("pk"))


# --- Available programs.


@dataclass(frozen=True)
class ProgramFilters:
    category: str = ""
    pet_type: str = ""
    fulfillment: str = ""
    enrolled: str = ""  # "", "yes" or "no"


def program_filter_choices() -> dict[str, list[str]]:
    """The values the filters offer: those of active manufacturer programs, in one query."""
    programs = _manufacturer_programs().filter(is_active=True)
    rows = programs.values_list("category", "pet_type", "fulfillment_option").distinct()
    columns = list(zip(*rows, strict=True)) or [(), (), ()]
    names = ("categories", "pet_types", "fulfillments")
    return {
        name: sorted({v for v in values if v}) for name, values in zip(names, columns, strict=True)
    }


def available_programs(*, retailer: Retailer, filters: ProgramFilters) -> list[Program]:
    """Active manufacturer programs, each with `store_enrollments` (this store's, with their
    location and distributor) and `card_count`: two queries whatever the number of programs."""
    programs = _manufacturer_programs().filter(is_active=True)
    if filters.category:
        programs = programs.filter(category=filters.category)
    if filters.pet_type:
        programs = programs.filter(pet_type=filters.pet_type)
    if filters.fulfillment:
        programs = programs.filter(fulfillment_option=filters.fulfillment)
    if filters.enrolled in ("yes", "no"):
        enrolled = Exists(_store_enrollments(retailer.pk))
        programs = programs.filter(enrolled if filters.enrolled == "yes" else ~enrolled)
    ours = Enrollment.objects.filter(retailer=retailer).select_related("location", "distributor")
    programs = (
        programs.select_related("manufacturer", "brand")
        .annotate(card_count=Count("cards"))
        .prefetch_related(Prefetch("enrollments", queryset=ours, to_attr="store_enrollments"))
        .order_by("manufacturer__name", "name")
    )
    return list(programs)


# --- One program.


def program_cards(*, program: Program) -> list[ProgramCard]:
    """The program's cards with their qualifying and redeemable items (three queries)."""
    items = Item.objects.select_related("brand").order_by("description", "size")
    return list(
        program.cards.order_by("name").prefetch_related(
            Prefetch("qualifying_items", queryset=items),
            Prefetch("redeemable_items", queryset=items),
        )
    )


def program_enrollments(*, retailer: Retailer, program: Program) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(retailer=retailer, program=program)
        .select_related("location", "distributor")
        .order_by("location__name")
    )


def complete_cards_waiting(*, enrollment: Enrollment) -> int:
    """Complete, unredeemed cards of the program: redeeming them after unenrolling would not be
    reported to a distributor, so the confirmation says how many there are."""
    cards = Card.objects.filter(
        retailer_id=enrollment.retailer_id,
        program_card__program_id=enrollment.program_id,
        status=CardStatus.COMPLETE,
    )
    return cards.count()


def program_item_rows(*, program: Program) -> Iterator[list[str]]:
    """The "product and barcode list": one row per item of each card, saying its role."""
    for card in program_cards(program=program):
        qualifying = {item.pk: item for item in card.qualifying_items.all()}
        redeemable = {item.pk: item for item in card.redeemable_items.all()}
        for item in sorted({**qualifying, **redeemable}.values(), key=_item_order):
            roles = [
                role
                for role, ids in (("qualifying", qualifying), ("redeemable", redeemable))
                if item.pk in ids
            ]
            brand = item.brand.name if item.brand else ""
            role = " and ".join(roles)
            yield [item.upc, item.item_number, item.description, brand, item.size, card.name, role]


def _item_order(item: Item) -> tuple[str, str, int]:
    return (item.description, item.size, item.pk)


# --- My Items/Services.


def my_items(*, retailer: Retailer, text: str = "", item_id: int | None = None) -> QuerySet[Item]:
    """SPEC §2: every item of the store's custom programs: its own items and the items of its
    custom cards, found by description, UPC or item number; `item_id` keeps only that one."""
    through_q = ProgramCard.qualifying_items.through.objects
    through_r = ProgramCard.redeemable_items.through.objects
    on_cards = Q(pk__in=through_q.filter(programcard__program__retailer=retailer).values("item_id"))
    on_cards |= Q(
        pk__in=through_r.filter(programcard__program__retailer=retailer).values("item_id")
    )
    items = Item.objects.filter(Q(retailer=retailer) | on_cards)
    if item_id is not None:
        items = items.filter(pk=item_id)
    text = text.strip()
    if text:
        found = Q(description__icontains=text)
        digits = clean_code(text)
        if digits.isascii() and digits.isdigit():
            found |= Q(gtin__contains=digits)  # the stored GTIN-14 holds the typed UPC
        found |= Q(item_number_key__contains=item_number_key(text))
        items = items.filter(found)
    cards = ProgramCard.objects.filter(program__retailer=retailer).select_related("program")
    return (
        items.select_related("brand")
        .prefetch_related(
            Prefetch("qualifying_for", queryset=cards, to_attr="store_qualifying"),
            Prefetch("redeemable_for", queryset=cards, to_attr="store_redeemable"),
        )
        .order_by("description", "size", "pk")
    )


@dataclass(frozen=True)
class ItemProgram:
    name: str
    role: str


def item_programs(item: Item) -> list[ItemProgram]:
    """The store's programs an item of my_items() belongs to, and whether it qualifies or is
    the reward there (from its prefetched cards, no query)."""
    roles: dict[str, list[str]] = {}
    for attr, role in (("store_qualifying", "qualifying"), ("store_redeemable", "reward")):
        for card in getattr(item, attr, []):
            roles.setdefault(card.program.name, [])
            if role not in roles[card.program.name]:
                roles[card.program.name].append(role)
    return [ItemProgram(name, " and ".join(r)) for name, r in sorted(roles.items())]


def with_programs(items: Iterable[Item]) -> list[Item]:
    """Attach `programs` (a list of ItemProgram) to each item for the template."""
    rows = list(items)
    for item in rows:
        item.programs = item_programs(item)  # type: ignore[attr-defined]  # for the template
    return rows
