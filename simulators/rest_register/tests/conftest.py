"""A store on the REST API, served by the live server, and its register calling it over HTTP.

The store: an Acana Buy 12 card (three 13 lb recipes, one of them out of stock at the
register), a running BOGO on Fromm treats, Jamie linked with 5/12 and a $5 coupon, Morgan in
Astro with 5/12 but not linked yet, Sally linked with a complete card."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from integrations.api_v1.credentials import issue_key
from loyalty.models import Offer
from loyalty.services.cards import add_purchases
from loyalty.services.coupons import issue_coupon
from loyalty.services.owners import ensure_test_owner, link_pos_customer
from loyalty.tests import factories
from simulators.rest_register.models import Customer, Product, RegisterStore

RED, POULTRY, FISH, TREAT = "064992521134", "064992522131", "064992523251", "072705101061"
LEASH = "084197001019"  # not an Astro item


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the API's per-key request budget lives in the cache
    yield
    cache.clear()


@pytest.fixture
def astro(retailer, location):
    """Astro's side of the store, as an admin and platform staff would have set it up."""
    retailer.pos_integration = "pinogy"
    retailer.save()
    bags = {
        code: factories.ItemFactory(gtin="00" + code, description=name, size="13 lb")
        for code, name in [
            (RED, "Acana Red 13 lb"),
            (POULTRY, "Acana Poultry 13 lb"),
            (FISH, "Acana Fish 13 lb"),
        ]
    }
    card = factories.enrolled_card(retailer, required=12, items=list(bags.values()))
    card.name = "Acana Dry Dog Food — Buy 12 Get 1 Free"
    card.save(update_fields=["name"])
    card.program.name = "Acana Dog Frequent Buyer"
    card.program.save(update_fields=["name"])
    treat = factories.ItemFactory(gtin="00" + TREAT, description="Fromm treats", size="6 oz")
    offer = Offer.objects.create(
        name="Fromm Buy One Get One Free", kind="bogo", starts_at=timezone.now()
    )
    offer.qualifying_items.add(treat)
    offer.retailers.add(retailer)
    jamie = _owner(retailer, "Jamie", "Rivera", card, bags[RED], punches=5)
    link_pos_customer(owner=jamie, pos_system="pinogy", pos_customer_id="POS-1001", actor=None)
    coupon = issue_coupon(owner=jamie, name="$5 welcome coupon", amount_off=Decimal("5.00"))
    morgan = _owner(retailer, "Morgan", "Lee", card, bags[RED], punches=5)
    sally = ensure_test_owner(retailer)
    add_purchases(owner=sally, program_card=card, quantity=12, item=bags[RED])
    link_pos_customer(owner=sally, pos_system="pinogy", pos_customer_id="POS-1000", actor=None)
    return SimpleNamespace(
        retailer=retailer, location=location, card=card, bags=bags, treat=treat,
        offer=offer, jamie=jamie, morgan=morgan, sally=sally, coupon=coupon,
    )  # fmt: skip


def _owner(retailer, first, last, card, item, *, punches):
    email = f"{first.lower()}.{last.lower()}@example.com"
    owner = factories.PetOwnerFactory(
        retailer=retailer, first_name=first, last_name=last, email=email
    )
    add_purchases(owner=owner, program_card=card, quantity=punches, item=item)
    return owner


@pytest.fixture
def register(live_server, astro):
    """The register, with its own API key for the store's location, over real HTTP."""
    issued = issue_key(location=astro.location, actor=None)
    store = RegisterStore.objects.create(
        name="Uptown Pet Market",
        address="900 Lake Street, Chicago, IL 60607",
        code="UPT",
        astro_api_base=f"{live_server.url}/api/v1/",
        api_username=issued.credential.username,
        api_key=issued.key,
    )
    for code, description, price, stock in [
        (RED, "Acana Red Meat 13 lb", "64.99", 5),
        (POULTRY, "Acana Free-Run Poultry 13 lb", "64.99", 3),
        (FISH, "Acana Wild Atlantic 13 lb", "69.99", 0),
        (TREAT, "Fromm Crunchy O's 6 oz", "7.99", 10),
        (LEASH, "Nylon Dog Leash, 6 ft", "14.99", 4),
    ]:
        Product.objects.create(
            store=store, upc=code, description=description, price=Decimal(price), stock=stock
        )
    people = [
        ("POS-1001", "Jamie", "Rivera", "jamie.rivera@example.com", astro.jamie.pk),
        ("POS-1000", "Sally", "Pet Owner", "sally@example.com", astro.sally.pk),
        ("POS-1002", "Morgan", "Lee", "morgan.lee@example.com", None),
        ("POS-1003", "Casey", "Nguyen", "casey.nguyen@example.com", None),
    ]
    for number, first, last, email, astro_id in people:
        Customer.objects.create(
            store=store, number=number, first_name=first, last_name=last, email=email,
            astro_id=astro_id,
        )  # fmt: skip
    return store


def customer(store, number):
    return store.customers.get(number=number)
