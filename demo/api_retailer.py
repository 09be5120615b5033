"""The demo's fully integrated store: a retailer on the Pinogy-style REST API (SPEC §5)."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from loyalty.models import (
    Coupon,
    Distributor,
    Enrollment,
    Item,
    Location,
    Offer,
    PetOwner,
    Program,
    Retailer,
)
from loyalty.services.coupons import issue_coupon
from loyalty.services.owners import ensure_test_owner, link_pos_customer

from .api_credential import ensure_demo_credential
from .programs_data import PHILLIPS

# The demo's REST store runs Pinogy (a full integration, settings.POS_SYSTEMS).
PINOGY = "pinogy"
API_RETAILER = "Uptown Pet Market"
API_LOCATION = ("Uptown", "900 Lake Street, Chicago, IL 60607")
API_PROGRAMS = ["Acana Dog Frequent Buyer", "Fromm Dog Treats"]
# A customer already linked, so a partner can read GET /api/v1/links/POS-1001/loyalty at once.
LINKED_CUSTOMER = ("POS-1001", "Jamie", "Rivera", "jamie.rivera@example.com", "(312) 555-0142")


@transaction.atomic
def load_api_retailer() -> Location:
    retailer, _ = Retailer.objects.get_or_create(
        name=API_RETAILER, defaults={"pos_integration": PINOGY}
    )
    ensure_test_owner(retailer)
    location, _ = Location.objects.get_or_create(
        retailer=retailer, name=API_LOCATION[0], defaults={"address": API_LOCATION[1]}
    )
    distributor = Distributor.objects.get(name=PHILLIPS)
    for name in API_PROGRAMS:
        Enrollment.objects.get_or_create(
            retailer=retailer,
            location=None,
            program=Program.objects.get(name=name, retailer=None),
            defaults={"distributor": distributor, "account_number": "PP-300117"},
        )
    customer_id, first, last, email, phone = LINKED_CUSTOMER
    owner, created = PetOwner.objects.get_or_create(
        retailer=retailer,
        email=email,
        defaults={"first_name": first, "last_name": last, "phone": phone},
    )
    if created:
        link_pos_customer(owner=owner, pos_system=PINOGY, pos_customer_id=customer_id, actor=None)
    if not Coupon.objects.filter(owner=owner).exists():
        issue_coupon(owner=owner, name="$5 welcome coupon", amount_off=Decimal("5.00"))
    _load_offer(retailer)
    return location


def _load_offer(retailer: Retailer) -> None:
    """A running BOGO on the Acana bags, so an API sale of two shows an offer applied."""
    offer, created = Offer.objects.get_or_create(
        name="Acana Buy One Get One Free",
        defaults={
            "kind": "bogo",
            "starts_at": timezone.now() - timedelta(days=30),
            "terms": "One free bag per visit; the free bag is the lower priced one.",
        },
    )
    if created:
        offer.qualifying_items.set(
            Item.objects.filter(qualifying_for__program__name=API_PROGRAMS[0]).distinct()
        )
    offer.retailers.add(retailer)


def seed_api_retailer(*, base_url: str) -> dict[str, Any]:
    """The store and its API user; what `seed_demo --json` prints under "api"."""
    location = load_api_retailer()
    username, key = ensure_demo_credential(location)
    return {
        "base": f"{base_url}/api/v1/",
        "username": username,
        "key": key,
        "retailer": API_RETAILER,
        "location": location.name,
        "linked_pos_customer_id": LINKED_CUSTOMER[0],
    }
