"""SPEC §2: a retailer's own item never shadows a platform item. Which platform item (and
program) a store's code would collide with, read in two queries for any number of codes."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from loyalty.models import Item, ProgramCard


@dataclass(frozen=True)
class Collision:
    code: str  # as the admin typed it
    item: Item  # the platform item with that code
    is_item_number: bool

    @property
    def program(self) -> str:
        cards = self.item.platform_cards  # type: ignore[attr-defined]  # prefetched below
        names = sorted({card.program.name for card in cards})
        return " and ".join(names) if names else "Astro's manufacturer catalog"

    @property
    def message(self) -> str:
        what = f"Item number {self.code}" if self.is_item_number else self.code
        return (
            f"{what} is the code of “{self.item}”, an item of {self.program}. A custom program "
            "cannot use it: that product's sales punch the manufacturer's card. Use your POS "
            "item number for your own item or service instead."
        )


def platform_collisions(codes: Iterable[tuple[str, str, str]]) -> list[Collision]:
    """For (code as typed, GTIN-14 key or "", item number key or "") triples, the platform items
    they collide with (a UPC-A, EAN-13 and GTIN-14 compare equal through the key)."""
    codes = list(codes)
    gtins = {gtin for _code, gtin, _number in codes if gtin}
    numbers = {number for _code, gtin, number in codes if number and not gtin}
    if not gtins and not numbers:
        return []
    cards = ProgramCard.objects.filter(program__retailer__isnull=True).select_related("program")
    items = Item.objects.filter(
        Q(gtin__in=gtins) | Q(item_number_key__in=numbers), retailer__isnull=True
    ).prefetch_related(Prefetch("qualifying_for", queryset=cards, to_attr="platform_cards"))
    by_gtin: dict[str, Item] = {}
    by_number: dict[str, Item] = {}
    for item in items:
        if item.gtin:
            by_gtin.setdefault(item.gtin, item)
        if item.item_number_key:
            by_number.setdefault(item.item_number_key, item)
    found = []
    for code, gtin, number in codes:
        if gtin and gtin in by_gtin:
            found.append(Collision(code, by_gtin[gtin], is_item_number=False))
        elif not gtin and number in by_number:
            found.append(Collision(code, by_number[number], is_item_number=True))
    return found


def collision_for_item(item: Item) -> Collision | None:
    """The platform item a store's item (about to be saved) would hide, if any."""
    code = item.upc if item.gtin else item.item_number
    found = platform_collisions([(code, item.gtin, item.item_number_key)])
    if not found and item.gtin and item.item_number_key:
        found = platform_collisions([(item.item_number, "", item.item_number_key)])
    return found[0] if found else None
