"""Reads of the store's users and locations screens (SPEC §1)."""

from django.db.models import QuerySet

from loyalty.models import Location, Retailer, User


def store_users(*, retailer: Retailer) -> QuerySet[User]:
    """The store's logins, active ones first, then by role and name."""
    return (
        User.objects.filter(retailer_id=retailer.pk)
        .select_related("home_location")
        .order_by("-is_active", "role", "username")
    )


def store_locations(*, retailer: Retailer) -> QuerySet[Location]:
    """The store's locations by name."""
    return Location.objects.filter(retailer_id=retailer.pk)
