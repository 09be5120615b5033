"""The store's stock as the POS syncs it; it limits what a complete card may be redeemed with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from loyalty.models import Location
from loyalty.selectors.loyalty_state import stocked_item_ids

from .models import InventoryItem


@dataclass(frozen=True)
class InventorySync:
    codes: int  # how many distinct codes are stored
    matched_items: int  # how many of them name an Astro item


def replace_inventory(*, location: Location, codes: Iterable[str]) -> InventorySync:
    """The location's stock becomes exactly these codes (blank ones left out), in one
    transaction, so a redemption never sees half a list."""
    kept = sorted({code.strip() for code in codes if code.strip()})
    with transaction.atomic():
        InventoryItem.objects.filter(location=location).delete()
        InventoryItem.objects.bulk_create(InventoryItem(location=location, code=c) for c in kept)
    matched = stocked_item_ids(retailer=location.retailer, codes=kept)
    return InventorySync(codes=len(kept), matched_items=len(matched))
