"""Reads of the API's own tables (keys, synced stock, product filter rows), for its views."""

from __future__ import annotations

from loyalty.access import get_own
from loyalty.models import Location, Retailer, User

from .models import ApiCredential, InventoryItem, ProductFilterCondition


def synced_inventory(*, location: Location) -> list[str] | None:
    """The codes the POS last synced for the location, or None if it never did. One query."""
    codes = list(InventoryItem.objects.filter(location=location).values_list("code", flat=True))
    return codes or None


def credentials_by_location(
    *, retailer: Retailer, locations: list[Location]
) -> dict[int, list[ApiCredential]]:
    """Every key of the store (revoked ones too), newest first, by location id. One query."""
    by_location: dict[int, list[ApiCredential]] = {location.pk: [] for location in locations}
    credentials = ApiCredential.objects.filter(retailer=retailer).select_related("created_by")
    for credential in credentials:
        by_location.setdefault(credential.location_id, []).append(credential)
    return by_location


def own_credential(user: User, credential_id: int) -> ApiCredential:
    """A key of the user's store, with its location and retailer; another store's is a 404."""
    rows = ApiCredential.objects.select_related("location", "retailer")
    return get_own(rows, user, pk=credential_id)


def filter_conditions(*, location: Location) -> list[ProductFilterCondition]:
    """The location's product filter rows, in the order they are read."""
    return list(ProductFilterCondition.objects.filter(location=location))
