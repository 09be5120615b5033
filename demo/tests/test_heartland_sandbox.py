"""The demo's Heartland store and sandbox: safe to load twice, logins that work, a connection
that reads the register's tickets over real HTTP, and Ben one bag short of a free Acana bag."""

import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from demo.catalog import load_catalog
from demo.heartland_sandbox import SUBDOMAIN, seed_heartland
from demo.heartland_store import BEN, BEN_ACANA_BAGS, HEARTLAND_RETAILER
from integrations.heartland.adapter import HeartlandSaleSource
from integrations.heartland.models import HeartlandConnection
from loyalty.models import Card, Location, PosLink, Purchase, Retailer, Visit
from simulators.heartland.models import (
    SandboxAccount,
    SandboxCustomer,
    SandboxItem,
    SandboxLocation,
    SandboxTicket,
    SandboxTicketLine,
)

BASE = "http://127.0.0.1:8000"
COUNTED = (
    SandboxAccount,
    SandboxLocation,
    SandboxItem,
    SandboxCustomer,
    HeartlandConnection,
    Location,
    PosLink,
    Visit,
    Purchase,
)


def snapshot() -> dict:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_seeding_twice_changes_nothing_and_returns_the_same():
    load_catalog()
    first = seed_heartland(base_url=BASE)
    counts = snapshot()
    assert seed_heartland(base_url=BASE) == first
    assert snapshot() == counts
    assert first["register_url"] == f"{BASE}/sandbox/heartland/pos/"
    assert first["api_base"] == f"{BASE}/sandbox/heartland/api"
    assert first["subdomain"] == SUBDOMAIN
    account = SandboxAccount.objects.get()
    assert first["api_token"] == account.api_token
    assert account.extension_url == first["extension_url"]
    retailer = Retailer.objects.get(name=HEARTLAND_RETAILER)
    assert retailer.pos_integration == "heartland"
    connection = HeartlandConnection.objects.get(retailer=retailer)
    assert connection.token == account.api_token and connection.api_base == first["api_base"]
    mapped = set(Location.objects.filter(retailer=retailer).values_list("pos_shop_id", flat=True))
    assert mapped == {str(pk) for pk in account.locations.values_list("pk", flat=True)}


@pytest.mark.django_db
def test_ben_is_linked_and_one_bag_short_of_his_free_acana_bag():
    load_catalog()
    seed_heartland(base_url=BASE)
    ben_customer = SandboxCustomer.objects.get(email=BEN[2])
    link = PosLink.objects.get(pos_system="heartland", pos_customer_id=str(ben_customer.pk))
    assert link.owner.email == BEN[2]
    card = Card.objects.get(owner=link.owner, program_card__program__name__startswith="Acana")
    assert card.purchases.filter(state="active").count() == BEN_ACANA_BAGS
    assert card.status == "open"


@pytest.mark.django_db(transaction=True)
def test_the_connection_reads_a_ticket_rung_at_the_register(live_server):
    load_catalog()
    seed_heartland(base_url=live_server.url)
    account = SandboxAccount.objects.get()
    ben = SandboxCustomer.objects.get(email=BEN[2])
    acana = SandboxItem.objects.get(public_id="ACANA-POULTRY-25")
    location = account.locations.order_by("pk").last()
    ticket = SandboxTicket.objects.create(account=account, location=location, customer=ben)
    SandboxTicketLine.objects.create(
        ticket=ticket, item=acana, qty=1, unit_price=acana.price, original_unit_price=acana.price
    )
    retailer = Retailer.objects.get(name=HEARTLAND_RETAILER)

    source = HeartlandSaleSource(retailer=retailer)
    sale = source.fetch_sale(str(ticket.pk))
    source.close()

    assert sale.customer.pos_customer_id == str(ben.pk)
    assert sale.lines[0].codes[0] == acana.upc and sale.subtotal == Decimal("92.99")
    assert sale.shop_id == str(location.pk)


@pytest.mark.django_db
def test_seed_demo_json_adds_the_heartland_store_with_logins_that_work():
    out = io.StringIO()
    call_command("seed_demo", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert {"logins", "retailers", "locations", "owners", "lightspeed_sandbox", "api"} <= set(
        summary
    )
    heartland = summary["heartland_sandbox"]
    assert {"register_url", "api_base", "api_token", "logins", "extension_url"} <= set(heartland)
    for role in ("admin", "cashier"):
        login = heartland["logins"][role]
        request = RequestFactory().post("/login/")
        user = authenticate(request, username=login["username"], password=login["password"])
        assert user is not None and user.retailer.name == HEARTLAND_RETAILER
        assert user.role == role
    text = io.StringIO()
    call_command("seed_demo", stdout=text)
    assert f"Heartland Retail sandbox register ({HEARTLAND_RETAILER})" in text.getvalue()


@pytest.mark.django_db
def test_without_the_sandbox_the_store_is_made_but_no_register(settings):
    settings.POS_SANDBOX_ENABLED = False
    out = io.StringIO()
    call_command("seed_demo", "--json", stdout=out)
    assert json.loads(out.getvalue())["heartland_sandbox"] is None
    assert Retailer.objects.filter(name=HEARTLAND_RETAILER).exists()
    assert not SandboxAccount.objects.exists()
