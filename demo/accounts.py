"""Loading the demo retailers, their locations and the demo logins."""

from django.db import transaction

from integrations.lightspeed.pos import POS_SYSTEM as LIGHTSPEED
from loyalty.models import Location, Retailer, User
from loyalty.services.owners import ensure_test_owner

from .people_data import LOCATIONS, LOGINS


@transaction.atomic
def load_accounts() -> dict[str, Retailer]:
    """The demo retailers by name, with their locations and users in place."""
    retailers = {name: _retailer(name) for name in LOCATIONS}
    for name, rows in LOCATIONS.items():
        for location_name, address, shop_id in rows:
            Location.objects.update_or_create(
                retailer=retailers[name],
                name=location_name,
                defaults={"address": address, "pos_shop_id": shop_id},
            )
    for username, password, retailer_name, role in LOGINS.values():
        _login(username, password, retailers.get(retailer_name or ""), role)
    return retailers


def _retailer(name: str) -> Retailer:
    # The demo sales come from Lightspeed (pos_system "lightspeed", shop ids "1" and "2").
    retailer, _ = Retailer.objects.get_or_create(
        name=name, defaults={"pos_integration": LIGHTSPEED}
    )
    ensure_test_owner(retailer)  # the post_save signal made her; this covers older databases
    return retailer


def _login(username: str, password: str, retailer: Retailer | None, role: str) -> User:
    home = None
    if retailer is not None:
        home = Location.objects.get(retailer=retailer, name=LOCATIONS[retailer.name][0][0])
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "retailer": retailer,
            "role": role,
            "home_location": home,
            "email": f"{username}@example.com",
            "is_active": True,
            # Platform staff use Django admin; retailer users never do.
            "is_staff": retailer is None,
            "is_superuser": retailer is None,
        },
    )
    # Set every run so the printed password always works, even after someone changed it.
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
