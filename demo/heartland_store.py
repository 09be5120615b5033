"""The demo's Heartland Retail store: its own retailer, locations and logins, two enrolled
manufacturer programs, a Buy X Get Y card of its own, and a few pet owners; safe to load twice.

Ben Carter is linked to his Heartland customer and one bag short of a free Acana bag, so a
newcomer's first sale at the Heartland register completes a card to redeem on Finish.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from integrations.base import PosCustomer, PosLine, PosSale
from integrations.heartland.pos import POS_SYSTEM as HEARTLAND
from loyalty.models import (
    Distributor,
    Enrollment,
    Item,
    Location,
    PetOwner,
    PosLink,
    Program,
    ProgramCard,
    Retailer,
    User,
    Visit,
)
from loyalty.models.programs import ProgramKind
from loyalty.services.owners import ensure_test_owner, link_pos_customer
from loyalty.services.sales import record_pos_sale

from .catalog import sale_codes
from .programs_data import PHILLIPS

HEARTLAND_RETAILER = "Prairie Paws"
# (name, address); the first is the logins' home location.
HEARTLAND_LOCATIONS = [
    ("Bloomington", "412 N Main Street, Bloomington, IL 61701"),
    ("Normal", "105 North Street, Normal, IL 61761"),
]
# login key (as in seed_demo --json "heartland_sandbox"): (username, password, role)
HEARTLAND_LOGINS = {
    "admin": ("heartland-admin", "astro-heartland-admin", "admin"),
    "cashier": ("heartland-cashier", "astro-heartland-cashier", "cashier"),
}
HEARTLAND_PROGRAMS = [
    ("Acana Dog Frequent Buyer", "PP-208844"),
    ("Stella & Chewy's Frozen", "PP-208844"),
]
# The store's own item and its Buy X Get Y card (seed 001: custom cards punch through the POS).
SELF_WASH = ("SELFWASH", "Self-service dog wash", "Grooming", "15.00")
SELF_WASH_PROGRAM = "Self-Wash Card — Buy 5 Get 1 Free"
# (first, last, email, phone): Maya is in Astro but not linked yet; Ben is linked.
MAYA = ("Maya", "Lopez", "maya.lopez@example.com", "(309) 555-0141")
BEN = ("Ben", "Carter", "ben.carter@example.net", "(309) 555-0178")
BEN_ACANA_BAGS = 11


@transaction.atomic
def load_heartland_store() -> Retailer:
    retailer, _ = Retailer.objects.get_or_create(
        name=HEARTLAND_RETAILER, defaults={"pos_integration": HEARTLAND}
    )
    ensure_test_owner(retailer)
    for name, address in HEARTLAND_LOCATIONS:
        Location.objects.get_or_create(retailer=retailer, name=name, defaults={"address": address})
    home = Location.objects.get(retailer=retailer, name=HEARTLAND_LOCATIONS[0][0])
    for username, password, role in HEARTLAND_LOGINS.values():
        _login(retailer, home, username, password, role)
    distributor = Distributor.objects.get(name=PHILLIPS)
    for program_name, account in HEARTLAND_PROGRAMS:
        Enrollment.objects.get_or_create(
            retailer=retailer,
            location=None,
            program=Program.objects.get(name=program_name, retailer=None),
            defaults={"distributor": distributor, "account_number": account},
        )
    _self_wash(retailer)
    for first, last, email, phone in (MAYA, BEN):
        PetOwner.objects.get_or_create(
            retailer=retailer,
            email=email,
            defaults={"first_name": first, "last_name": last, "phone": phone},
        )
    return retailer


def _login(retailer: Retailer, home: Location, username: str, password: str, role: str) -> None:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "retailer": retailer,
            "role": role,
            "home_location": home,
            "email": f"{username}@example.com",
            "is_active": True,
            "is_staff": False,
            "is_superuser": False,
        },
    )
    user.set_password(password)  # every run, so the printed password always works
    user.save(update_fields=["password"])


def _self_wash(retailer: Retailer) -> None:
    number, description, category, price = SELF_WASH
    item, _ = Item.objects.update_or_create(
        retailer=retailer,
        item_number=number,
        defaults={"description": description, "category": category, "list_price": price},
    )
    program, _ = Program.objects.update_or_create(
        name=SELF_WASH_PROGRAM,
        retailer=retailer,
        defaults={
            "kind": ProgramKind.BUY_X_GET_Y,
            "category": category,
            "pet_type": "Dog",
            "description": "Every self-service wash counts; the 6th is on us.",
        },
    )
    card, _ = ProgramCard.objects.update_or_create(
        program=program,
        name="Buy 5 Self-Washes Get 1 Free",
        defaults={"purchases_required": 5, "free_good_rule": "fixed_list"},
    )
    card.qualifying_items.set([item])
    card.redeemable_items.set([item])


def link_ben(retailer: Retailer, *, customer_id: str, location: Location) -> None:
    """Link Ben to his Heartland customer and give him the Acana bags he bought before (through
    the one sale pipeline, as finalized past tickets), once."""
    ben = PetOwner.objects.get(retailer=retailer, email=BEN[2])
    link = PosLink.objects.filter(retailer=retailer, pos_system=HEARTLAND, owner=ben).first()
    if link is None:
        link_pos_customer(owner=ben, pos_system=HEARTLAND, pos_customer_id=customer_id, actor=None)
    if Visit.objects.filter(owner=ben).exists():
        return
    code, description, price = sale_codes()["acana-poultry-25"]
    customer = PosCustomer(pos_customer_id=customer_id, first_name=BEN[0], last_name=BEN[1])
    for bag in range(BEN_ACANA_BAGS):
        sale = PosSale(
            sale_id=f"history-{bag + 1}",
            customer=customer,
            lines=(PosLine("1", (code,), description, 1, price),),
            subtotal=price,
            total=(price * Decimal("1.08")).quantize(Decimal("0.01")),
            completed=True,
        )
        record_pos_sale(
            owner=ben,
            location=location,
            pos_system=HEARTLAND,
            sale=sale,
            finalized=True,
            sold_at=timezone.now() - timedelta(days=7 * (BEN_ACANA_BAGS - bag)),
        )
