"""The points ledger of one owner: every entry with the running balance."""

from django.db.models import F, QuerySet, Sum, Window

from loyalty.models import PetOwner, PointsEntry

# --- The points ledger of one owner (SPEC §2: the balance is the sum of the entries) --------


def points_ledger(*, owner: PetOwner) -> QuerySet[PointsEntry]:
    """Newest first, each row with the balance right after it (a window sum in the database)."""
    running = Window(Sum("points"), order_by=[F("created_at").asc(), F("pk").asc()])
    return (
        PointsEntry.objects.filter(retailer_id=owner.retailer_id, owner=owner)
        .select_related("created_by", "visit__cashier", "visit__location")
        .annotate(balance=running)
        .order_by("-created_at", "-pk")
    )
