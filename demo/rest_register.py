"""The REST store's register: the full-integration register sandbox for Uptown Pet Market.

`seed_demo` calls `seed_rest_register` when POS_SANDBOX_ENABLED: the register's store with its
own API key, a catalog of the store's program items with stock (one bag out of stock, so the
redeemable list visibly leaves it out), and four customers who show every way of mapping one:
Jamie (linked, 5/12 and a coupon), Sally Pet Owner (linked, a complete card to redeem), Morgan
(in Astro, not linked: Already In Astro) and Casey (new to Astro: Yes). Safe to load twice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from loyalty.contracts.pos import PosCustomer, PosLine, PosSale
from loyalty.models import Location, PetOwner, PointReward, PosLink, Visit
from loyalty.services.owners import ensure_test_owner, link_pos_customer
from loyalty.services.sales import record_pos_sale
from simulators.rest_register.models import Customer, Product, RegisterStore

from .api_credential import ensure_demo_credential
from .api_retailer import API_LOCATION, API_RETAILER, LINKED_CUSTOMER, PINOGY
from .catalog import upc
from .items_data import ITEMS
from .lightspeed_sandbox import ORDINARY_ITEMS
from .programs_data import ACANA_ITEMS, FROMM_ITEMS

REGISTER_CODE = "UPT"
REGISTER_USERNAME = "demo-uptown-register"
STOCK = 6
# Out of stock: a card completed on 13 lb bags is offered the other 13 lb recipes, not this one.
OUT_OF_STOCK = "acana-fish-13"
# (POS customer id, first, last, email, phone); Jamie is the API store's linked customer.
SALLY_NUMBER = "POS-1000"
IN_ASTRO_NOT_LINKED = ("POS-1002", "Morgan", "Lee", "morgan.lee@example.com", "(312) 555-0170")
NEW_TO_ASTRO = ("POS-1003", "Casey", "Nguyen", "casey.nguyen@example.com", "(312) 555-0188")
# Earlier paid sales of one 13 lb bag each (one unit: no BOGO), as the register posted them.
HISTORY = {LINKED_CUSTOMER[0]: 5, SALLY_NUMBER: 12}
HISTORY_ITEM = "acana-red-13"
POINT_REWARD = ("$5 off any purchase", 250, "Take $5 off the sale.")


def register_url(base_url: str) -> str:
    return base_url.rstrip("/") + reverse("rest_register:home")


@transaction.atomic
def seed_rest_register(*, base_url: str) -> dict[str, Any]:
    """The register and its Astro API user; what `seed_demo --json` prints under
    "rest_register_sandbox". Call after the API store is loaded."""
    location = Location.objects.get(retailer__name=API_RETAILER, name=API_LOCATION[0])
    username, key = ensure_demo_credential(location, username=REGISTER_USERNAME)
    store, _ = RegisterStore.objects.update_or_create(
        code=REGISTER_CODE,
        defaults={
            "name": API_RETAILER,
            "address": API_LOCATION[1],
            "astro_api_base": f"{base_url.rstrip('/')}/api/v1/",
            "api_username": username,
            "api_key": key,
        },
    )
    _products(store)
    owners = _astro_side(location)
    _customers(store, owners)
    PointReward.objects.get_or_create(
        retailer=location.retailer,
        name=POINT_REWARD[0],
        defaults={"points_required": POINT_REWARD[1], "description": POINT_REWARD[2]},
    )
    return {
        "register_url": register_url(base_url),
        "queue_url": base_url.rstrip("/") + reverse("rest_register:queue"),
        "store": store.name,
        "api_base": store.astro_api_base,
        "api_username": username,
        "customers": {
            "linked": LINKED_CUSTOMER[0],
            "ready_to_redeem": SALLY_NUMBER,
            "in_astro_not_linked": IN_ASTRO_NOT_LINKED[0],
            "new_to_astro": NEW_TO_ASTRO[0],
        },
        "send_queue_command": "python manage.py rest_register send",
    }


def _products(store: RegisterStore) -> None:
    for key in ACANA_ITEMS + FROMM_ITEMS:
        brand, description, size, category, body, price = ITEMS[key]
        Product.objects.update_or_create(
            store=store,
            upc=upc(body),
            defaults={
                "description": f"{description} {size}",
                "brand": brand or "",
                "category": category,
                "price": Decimal(price),
                "stock": 0 if key == OUT_OF_STOCK else STOCK,
            },
        )
    for description, body, price in ORDINARY_ITEMS:
        Product.objects.update_or_create(
            store=store,
            upc=upc(body),
            defaults={"description": description, "price": Decimal(price), "stock": STOCK},
        )


def _astro_side(location: Location) -> dict[str, PetOwner]:
    """Sally mapped (seed 001: every POS has her), Morgan in Astro but not linked, and the
    earlier sales that give Jamie 5/12 and Sally a complete card."""
    retailer = location.retailer
    sally = ensure_test_owner(retailer)
    if not PosLink.objects.filter(retailer=retailer, owner=sally, pos_system=PINOGY).exists():
        link_pos_customer(owner=sally, pos_system=PINOGY, pos_customer_id=SALLY_NUMBER, actor=None)
    number, first, last, email, phone = IN_ASTRO_NOT_LINKED
    PetOwner.objects.get_or_create(
        retailer=retailer,
        email=email,
        defaults={"first_name": first, "last_name": last, "phone": phone},
    )
    jamie = PetOwner.objects.get(retailer=retailer, email=LINKED_CUSTOMER[3])
    owners = {LINKED_CUSTOMER[0]: jamie, SALLY_NUMBER: sally}
    for pos_customer_id, sales in HISTORY.items():
        _history(location, owners[pos_customer_id], pos_customer_id, sales)
    return owners


def _history(location: Location, owner: PetOwner, pos_customer_id: str, sales: int) -> None:
    if Visit.objects.filter(owner=owner, pos_system=PINOGY).exists():
        return
    _brand, description, size, _category, body, price = ITEMS[HISTORY_ITEM]
    now = timezone.now()
    for number in range(1, sales + 1):
        line = PosLine(
            line_id="1",
            codes=(upc(body),),
            description=f"{description} {size}",
            quantity=1,
            unit_price=Decimal(price),
        )
        sale = PosSale(
            sale_id=f"{REGISTER_CODE}-H-{pos_customer_id}-{number}",
            customer=PosCustomer(pos_customer_id=pos_customer_id),
            lines=(line,),
            subtotal=Decimal(price),
            total=Decimal(price),
            completed=True,
        )
        record_pos_sale(
            owner=owner,
            location=location,
            pos_system=PINOGY,
            sale=sale,
            finalized=True,
            sold_at=now - timedelta(days=7 * (sales - number + 1)),
        )


def _customers(store: RegisterStore, owners: dict[str, PetOwner]) -> None:
    sally = owners[SALLY_NUMBER]
    people = [
        (*LINKED_CUSTOMER, owners[LINKED_CUSTOMER[0]].pk),
        (SALLY_NUMBER, sally.first_name, sally.last_name, sally.email, sally.phone, sally.pk),
        (*IN_ASTRO_NOT_LINKED, None),
        (*NEW_TO_ASTRO, None),
    ]
    for number, first, last, email, phone, astro_id in people:
        customer, created = Customer.objects.get_or_create(
            store=store,
            number=number,
            defaults={"first_name": first, "last_name": last, "email": email, "phone": phone},
        )
        if created and astro_id:
            customer.astro_id = astro_id
            customer.save(update_fields=["astro_id"])
