"""seed_sandbox: the demo's sandbox account, shops, items, customers and Astro's connection."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from demo.catalog import upc
from demo.items_data import ITEMS
from demo.lightspeed_sandbox import DEMO_ACCOUNT_ID, ORDINARY_ITEMS, seed_sandbox
from integrations.lightspeed.adapter import sale_from_json
from integrations.lightspeed.connection import client_for
from integrations.lightspeed.models import LightspeedConnection
from integrations.lightspeed.return_urls import return_url_for
from loyalty.models import PetOwner
from loyalty.rules.upc import is_valid_gtin
from loyalty.services.owners import ensure_test_owner
from loyalty.tests.factories import LocationFactory, PetOwnerFactory
from simulators.lightspeed.models import (
    SandboxAccount,
    SandboxCustomer,
    SandboxItem,
    SandboxSale,
    SandboxShop,
    SandboxToken,
)

pytestmark = pytest.mark.django_db
BASE = "http://127.0.0.1:8000"
SANDBOXED = (SandboxAccount, SandboxShop, SandboxItem, SandboxCustomer, LightspeedConnection)


@pytest.fixture
def locations(retailer):
    return [
        LocationFactory(retailer=retailer, name="Main Street"),
        LocationFactory(retailer=retailer, name="Riverside"),
    ]


@pytest.fixture
def owners(retailer):
    return [
        PetOwnerFactory(retailer=retailer, first_name="Maria", last_name="Lopez"),
        PetOwnerFactory(retailer=retailer, first_name="James", last_name="Carter", email=""),
        PetOwnerFactory(retailer=retailer, first_name="Nobody", email="", phone=""),
        PetOwnerFactory(retailer=retailer, first_name="Priya", last_name="Patel"),
        PetOwnerFactory(retailer=retailer, first_name="Daniel", last_name="Kim"),
    ]


def run(retailer, locations, base_url: str = BASE) -> dict:
    return seed_sandbox(retailer=retailer, locations=locations, base_url=base_url)


def snapshot() -> dict:
    counts = {model.__name__: model.objects.count() for model in SANDBOXED}
    tokens = list(LightspeedConnection.objects.values_list("access_token", "refresh_token"))
    return {"counts": counts, "tokens": tokens}


def test_returns_how_to_reach_the_sandbox(retailer, locations, settings):
    result = run(retailer, locations, base_url=BASE + "/")

    account = SandboxAccount.objects.get(account_id=DEMO_ACCOUNT_ID)
    assert result == {
        "api_base": f"{BASE}/sandbox/lightspeed",
        "account_id": DEMO_ACCOUNT_ID,
        "access_token": account.script_token,
        "register_url": f"{BASE}/sandbox/lightspeed/register/",
    }
    assert account.name == retailer.name
    assert (account.client_id, account.client_secret) == (
        settings.LIGHTSPEED_CLIENT_ID,
        settings.LIGHTSPEED_CLIENT_SECRET,
    )


def test_each_location_gets_a_shop_with_its_button_url_and_returns_to_the_register(
    retailer, locations
):
    result = run(retailer, locations)

    shops = SandboxShop.objects.filter(account__account_id=DEMO_ACCOUNT_ID).order_by("shop_id")
    expected = [
        (str(n), loc.name, BASE + reverse("lightspeed_button", args=[loc.button_token]))
        for n, loc in enumerate(locations, start=1)
    ]
    assert [(s.shop_id, s.name, s.button_url) for s in shops] == expected
    for number, location in enumerate(locations, start=1):
        location.refresh_from_db()
        assert location.pos_shop_id == str(number)
        assert location.pos_return_url == result["register_url"]
        # Finished may send the cashier there: the sandbox's host is an allowed return host.
        assert return_url_for(location, "7") == result["register_url"] + "?saleID=7"


def test_items_carry_the_demo_upcs_the_stores_skus_and_ordinary_goods(retailer, locations):
    run(retailer, locations)

    items = SandboxItem.objects.filter(account__account_id=DEMO_ACCOUNT_ID)
    upcs = set(items.exclude(upc="").values_list("upc", flat=True))
    demo_upcs = {upc(row[4]) for row in ITEMS.values()}
    ordinary = {upc(body) for _description, body, _price in ORDINARY_ITEMS}
    assert demo_upcs <= upcs and ordinary <= upcs
    assert not ordinary & demo_upcs
    assert all(len(code) == 12 and is_valid_gtin(code) for code in upcs)
    assert items.get(custom_sku="WASH-FULL").description == "Full-service dog wash"
    assert str(items.get(upc=upc(ITEMS["acana-red-13"][4])).price) == "64.99"


def test_customers_match_sally_and_the_first_owners_and_two_are_new_to_astro(
    retailer, locations, owners
):
    run(retailer, locations)

    sally = ensure_test_owner(retailer)
    customers = SandboxCustomer.objects.filter(account__account_id=DEMO_ACCOUNT_ID).order_by("pk")
    people = [(c.first_name, c.last_name, c.email, c.phone) for c in customers]
    # Owners with neither email nor phone are skipped: nothing would tell the two apart.
    matching = [sally, owners[0], owners[1], owners[3]]
    assert people[:4] == [(o.first_name, o.last_name, o.email, o.phone) for o in matching]
    assert len(people) == 6
    for first, last, _email, _phone in people[4:]:
        assert not PetOwner.objects.filter(first_name=first, last_name=last).exists()


def test_astro_is_connected_with_a_live_sandbox_token_pair(retailer, locations):
    result = run(retailer, locations)

    connection = LightspeedConnection.objects.get(retailer=retailer)
    assert connection.account_id == DEMO_ACCOUNT_ID
    assert connection.api_base == connection.auth_base == result["api_base"]
    token = SandboxToken.objects.get(access_token=connection.access_token)
    assert token.refresh_token == connection.refresh_token
    assert not token.revoked and not token.is_expired
    assert connection.expires_at is not None


def test_seeding_again_changes_nothing(retailer, locations, owners):
    first = run(retailer, locations)
    before = snapshot()

    assert run(retailer, locations) == first
    assert snapshot() == before
    assert SandboxToken.objects.count() == 1


def test_a_new_base_url_moves_the_buttons_and_reconnects(retailer, locations):
    run(retailer, locations)

    result = run(retailer, locations, base_url="http://192.168.1.20:9000")

    assert result["api_base"] == "http://192.168.1.20:9000/sandbox/lightspeed"
    shop = SandboxShop.objects.get(shop_id="1")
    assert shop.button_url.startswith("http://192.168.1.20:9000/pos/lightspeed/")
    connection = LightspeedConnection.objects.get(retailer=retailer)
    assert connection.api_base == result["api_base"]
    assert SandboxToken.objects.filter(access_token=connection.access_token).exists()


def test_a_revoked_pair_is_replaced_on_the_next_run(retailer, locations):
    run(retailer, locations)
    SandboxToken.objects.update(revoked=True)

    run(retailer, locations)

    connection = LightspeedConnection.objects.get(retailer=retailer)
    assert SandboxToken.objects.get(refresh_token=connection.refresh_token).revoked is False


def test_duplicates_made_through_the_api_do_not_break_a_rerun(retailer, locations):
    run(retailer, locations)
    account = SandboxAccount.objects.get(account_id=DEMO_ACCOUNT_ID)
    SandboxCustomer.objects.create(account=account, first_name="Sally", last_name="Pet Owner")
    SandboxItem.objects.create(account=account, upc=upc(ITEMS["kong-m"][4]), description="Dup")

    run(retailer, locations)

    assert SandboxCustomer.objects.filter(first_name="Sally").count() == 2


def test_the_script_token_creates_a_customer_the_way_a_pos_does(client, retailer, locations):
    result = run(retailer, locations)
    body = {
        "firstName": "Morgan",
        "lastName": "Lee",
        "Contact": {
            "Emails": {"ContactEmail": {"address": "morgan@example.com", "useType": "Primary"}},
            "Phones": {"ContactPhone": {"number": "(217) 555-0177", "useType": "Mobile"}},
        },
    }
    url = reverse("lightspeed_sandbox:customers", args=[result["account_id"]])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {result['access_token']}"}

    response = client.post(url, json.dumps(body), content_type="application/json", **auth)

    assert response.status_code == 200
    created = response.json()["Customer"]
    assert (created["firstName"], created["lastName"]) == ("Morgan", "Lee")
    fetched = client.get(
        reverse("lightspeed_sandbox:customer", args=[result["account_id"], created["customerID"]]),
        **auth,
    ).json()["Customer"]
    assert fetched["Contact"]["Emails"]["ContactEmail"]["address"] == "morgan@example.com"
    assert fetched["Contact"]["Phones"]["ContactPhone"]["number"] == "(217) 555-0177"
    # The register offers the new customer, and a re-run keeps both it and the token.
    sale = SandboxSale.objects.create(account=SandboxAccount.objects.get(), shop_id="1")
    page = client.get(reverse("lightspeed_sandbox:register_sale", args=[sale.pk]))
    assert "Morgan Lee" in page.content.decode()
    assert run(retailer, locations)["access_token"] == result["access_token"]
    assert SandboxCustomer.objects.filter(first_name="Morgan").count() == 1


@pytest.mark.django_db(transaction=True)
def test_astros_connection_reads_a_register_sale_over_http(live_server, client, locations):
    retailer = locations[0].retailer
    run(retailer, locations, base_url=live_server.url)
    account = SandboxAccount.objects.get()
    sale = SandboxSale.objects.create(account=account, shop_id="2", employee_id="4")
    scan = reverse("lightspeed_sandbox:register_scan", args=[sale.pk])
    client.post(scan, {"code": upc(ITEMS["acana-red-13"][4])})
    client.post(scan, {"code": "WASH-FULL", "mode": "refund"})

    lightspeed = client_for(retailer)
    try:
        pos_sale = sale_from_json(lightspeed.get_sale(str(sale.pk)), account_id=DEMO_ACCOUNT_ID)
    finally:
        lightspeed.close()

    assert (pos_sale.sale_id, pos_sale.shop_id, pos_sale.employee_id) == (str(sale.pk), "2", "4")
    assert [line.quantity for line in pos_sale.lines] == [1, -1]
    assert pos_sale.customer is None
