"""Editing the items of a store's custom programs (SPEC §2 My Items/Services)."""

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from loyalty.errors import DomainError
from loyalty.models import Item, User
from loyalty.rules.upc import gtin_key, item_number_key

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


def _check_not_a_catalog_upc(item: Item) -> None:
    """A store's item wins over the platform's with the same code (matching), so taking a
    manufacturer product's UPC would move its sales off the manufacturer's card."""
    if item.gtin and (
        product := Item.objects.filter(retailer__isnull=True, gtin=item.gtin).first()
    ):
        raise DomainError(
            f"UPC {item.upc} is the manufacturer product “{product}”. Use your POS item number "
            "for this item or service instead."
        )


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
        if item.gtin != old_gtin:
            _check_not_a_catalog_upc(item)
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
