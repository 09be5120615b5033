"""Reads every POS integration needs: the owner a POS customer is linked to, and which of the
store's locations a POS shop is."""

from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from loyalty.models import Location, PointsEntry, PosLink, Retailer

from .prepared import PreparedRead

# Every button click and POS request reads these: their SQL is compiled once (SPEC §9).
_LINK = PreparedRead(
    lambda retailer_id, pos_system, pos_customer_id: (
        PosLink.objects.select_related("owner")
        .filter(retailer_id=retailer_id, pos_system=pos_system, pos_customer_id=pos_customer_id)
        .order_by()[:1]
    )
)
_SHOP_LOCATION = PreparedRead(
    lambda retailer_id, shop_id: (
        Location.objects.select_related("retailer")
        .filter(retailer_id=retailer_id, pos_shop_id=shop_id)
        .order_by("pk")[:1]
    )
)


def find_link(
    *, retailer: Retailer, pos_system: str, pos_customer_id: str, with_points: bool = False
) -> PosLink | None:
    """SPEC §3: (retailer, POS system, POS customer id) maps to at most one pet owner.

    `with_points`: the owner's points balance comes along as `link.points_balance`, in the
    same query (the loyalty read needs it, SPEC §9)."""
    if not with_points:
        found = _LINK.objects(retailer.pk, pos_system, pos_customer_id)
        return found[0] if found else None
    links = PosLink.objects.select_related("owner").filter(
        retailer=retailer, pos_system=pos_system, pos_customer_id=pos_customer_id
    )
    total = (
        PointsEntry.objects.filter(owner=OuterRef("owner_id"))
        .values("owner_id")
        .annotate(total=Sum("points"))
        .values("total")
    )
    links = links.annotate(points_balance=Coalesce(Subquery(total, output_field=IntegerField()), 0))
    # At most one row (the unique link): [:1] rather than first(), whose ORDER BY the
    # database does not need and Django compiles on every read.
    return next(iter(links[:1]), None)


def location_for_shop(location: Location, shop_id: str) -> Location:
    """A POS account may share one button URL across its shops, so the sale's own shop id
    picks the location when one of the store's locations is mapped to it."""
    if not shop_id or shop_id == location.pos_shop_id:
        return location
    mapped = _SHOP_LOCATION.objects(location.retailer_id, shop_id)
    return mapped[0] if mapped else location
