"""Reconcile, points (SPEC §2): each owner's balance is the sum of a ledger that makes sense."""

from collections.abc import Iterator

from django.db.models import Count, F, Q, Sum

from loyalty.models import PetOwner, PointsEntry
from loyalty.models.points import PointsKind

from .base import Discrepancy, Scope

# The sign each kind of entry must have: earned adds, a return and a reward take away.
_WRONG_SIGN = (
    Q(kind=PointsKind.EARNED, points__lte=0)
    | Q(kind=PointsKind.RETURNED, points__gte=0)
    | Q(kind=PointsKind.REDEEMED, points__gte=0)
)


def points_balance_matches_ledger(scope: Scope) -> Iterator[Discrepancy]:
    """The balance shown (the sum of the owner's entries) is never below zero; every entry has
    its kind's sign, a reward takes exactly its points, and every entry is the owner's store's.
    A merged duplicate keeps no entries: they moved to the owner kept."""
    entries = PointsEntry.objects.filter(
        Q(retailer_id=scope.retailer_id) | Q(owner__retailer_id=scope.retailer_id)
    )
    if scope.since is not None:
        entries = entries.filter(owner__points_entries__created_at__gte=scope.since).distinct()
    bad = entries.filter(
        _WRONG_SIGN
        | Q(point_reward__isnull=False) & ~Q(points=-F("point_reward__points_required"))
        | ~Q(retailer_id=F("owner__retailer_id"))
        | Q(owner__merged_into__isnull=False)
    )
    for entry in bad.order_by("pk"):
        yield Discrepancy(
            "points_ledger",
            f"Points entry {entry.pk} ({entry.get_kind_display()}, {entry.points:+d}) of owner "
            f"{entry.owner_id} does not fit the ledger: wrong sign, wrong reward points, "
            "another store, or left on a merged duplicate.",
            {"points_entry": [entry.pk], "owner": [entry.owner_id]},
        )
    owners = (
        PetOwner.objects.filter(pk__in=entries.values("owner_id"))
        .annotate(balance=Sum("points_entries__points"), entries=Count("points_entries"))
        .filter(balance__lt=0)
    )
    for owner in owners.order_by("pk"):
        ids = owner.points_entries.values_list("pk", flat=True)
        yield Discrepancy(
            "points_balance",
            f"Owner {owner.pk} has a balance of {owner.balance} points; a balance never goes "
            "below zero.",
            {"owner": [owner.pk], "points_entry": sorted(ids)},
        )
