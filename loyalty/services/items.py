"""Editing the items of a store's custom programs (SPEC §2 My Items/Services)."""

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from loyalty.errors import DomainError
from loyalty.models import Item, Purchase, Redemption, User
from loyalty.rules.upc import gtin_key, item_number_key
from loyalty.selectors.platform_items import collision_for_item

from .audit import record_audit


@dataclass(frozen=True)
class ItemCodes:
    """What an admin may change on an item: how the POS rings it and how it reads."""

    upc: str
    item_number: str
    description: str
    size: str

    @classmethod
    def of(cls, item: Item) -> "ItemCodes":
        return cls(
            upc=item.upc, item_number=item.item_number, description=item.description, size=item.size
        )


def _check_unique_in_store(item: Item, *, old_number_key: str) -> None:
    """Two of a store's items with one code would make the next sale's match a coin toss.
    An item number is only checked when it changes, so older twins still let a size be fixed."""
    others = Item.objects.filter(retailer_id=item.retailer_id).exclude(pk=item.pk)  # type: ignore[misc]  # a store's item
    if item.gtin and (twin := others.filter(gtin=item.gtin).first()):
        raise DomainError(f"UPC {item.upc} is already used by your item “{twin}”.")
    number_changed = item.item_number_key not in ("", old_number_key)
    if number_changed and (twin := others.filter(item_number_key=item.item_number_key).first()):
        raise DomainError(f"Item number {item.item_number} is already used by your item “{twin}”.")


def _check_not_a_catalog_code(item: Item) -> None:
    """SPEC §2: a store's item may not take a manufacturer product's UPC or item number, or
    that product's sales would be read as the store's own item."""
    collision = collision_for_item(item)
    if collision is not None:
        raise DomainError(collision.message)


def _apply(item: Item, codes: ItemCodes) -> None:
    item.gtin = (gtin_key(codes.upc) or codes.upc) if codes.upc else ""
    item.item_number = " ".join(codes.item_number.split())
    item.item_number_key = item_number_key(item.item_number)
    item.description = codes.description.strip()
    item.size = codes.size.strip()
    if not item.gtin and not item.item_number:
        raise DomainError("Enter a UPC or an item number: the POS rings the item by one of them.")
    if not item.description:
        raise DomainError("Enter a description, as cashiers see it at checkout.")
    try:
        item.clean()  # SPEC §2: a bad check digit gets a clear hint (describe_code_problem)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc


@transaction.atomic
def update_item(*, item: Item, codes: ItemCodes, actor: User) -> Item:
    """Save new codes for one of the store's items. Sales match against Item, so the change
    applies from the next sale on. Audited with the values before and after."""
    if item.retailer_id is None or item.retailer_id != actor.retailer_id:
        raise DomainError("Only your store's own items can be changed here.")
    before, old_gtin, old_number_key = ItemCodes.of(item), item.gtin, item.item_number_key
    try:
        _apply(item, codes)
        _check_unique_in_store(item, old_number_key=old_number_key)
        if item.gtin != old_gtin or item.item_number_key != old_number_key:
            _check_not_a_catalog_code(item)
        with transaction.atomic():
            item.save(
                update_fields=["gtin", "item_number", "item_number_key", "description", "size"]
            )
    except IntegrityError as exc:  # another tab saved the same UPC a moment ago
        item.refresh_from_db()
        raise DomainError("That UPC is already used by another of your items.") from exc
    except DomainError:
        item.refresh_from_db()  # nothing is saved, and the caller's object says so too
        raise
    after = ItemCodes.of(item)
    if after != before:
        record_audit(
            retailer=item.retailer,
            actor=actor,
            action="item.updated",
            target=item,
            data={"before": asdict(before), "after": asdict(after)},
        )
    return item


@transaction.atomic
def delete_item(*, item: Item, actor: User) -> str:
    """My Items/Services: an item no custom program uses any more can go (a code edited away
    leaves it behind). Past punches keep naming the product: when the code is a platform item's,
    they move to it; otherwise an item that past punches name stays. Returns its name."""
    if item.retailer_id is None or item.retailer_id != actor.retailer_id:
        raise DomainError("Only your store's own items can be deleted here.")
    item = Item.objects.select_for_update().get(pk=item.pk)
    programs = sorted(
        {card.program.name for card in item.qualifying_for.select_related("program")}
        | {card.program.name for card in item.redeemable_for.select_related("program")}
    )
    if programs:
        raise DomainError(
            f"“{item}” is on {' and '.join(programs)}. Take it off the program first, then "
            "delete it."
        )
    collision = collision_for_item(item)
    punches = Purchase.objects.filter(item=item)
    if collision is not None:
        punches.update(item=collision.item)
        Redemption.objects.filter(item=item).update(item=collision.item)
    elif punches.exists() or Redemption.objects.filter(item=item).exists():
        raise DomainError(
            f"“{item}” stays: past punches and rewards name it. It is on no program, so sales "
            "of it punch nothing."
        )
    name = str(item)
    record_audit(
        retailer=item.retailer,
        actor=actor,
        action="item.deleted",
        target=item,
        data={"code": item.code, "description": item.description},
    )
    item.delete()
    return name
