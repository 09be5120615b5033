"""What the cashier gets wrong gets a clear message and changes nothing (no Astro needed: the
register here points at the dead address, as when Astro is unreachable)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from simulators.rest_register.models import (
    Customer,
    OutboxEntry,
    Product,
    RegisterStore,
    Sale,
    SaleReward,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"rest_register:{name}", args=args)


@pytest.fixture
def store():
    store = RegisterStore.objects.create(
        name="Corner Pets", code="CNR", astro_api_base="http://127.0.0.1:9/api/v1/",
        api_username="u", api_key="k.k", astro_unreachable=True,
    )  # fmt: skip
    Product.objects.create(store=store, upc="012345678905", description="Leash", price=10, stock=2)
    return store


@pytest.fixture
def sale(store):
    return Sale.objects.create(store=store)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_an_unknown_code_is_named_and_adds_nothing(client, sale):
    response = client.post(url("scan", sale.pk), {"code": "999"}, follow=True)
    assert "No item in this store has the code 999." in messages_of(response)
    assert not sale.lines.exists()


def test_a_quantity_out_of_range_is_refused(client, sale):
    client.post(url("scan", sale.pk), {"code": "012345678905"})
    line = sale.lines.get()
    for bad in ("0", "1000", "two"):
        response = client.post(
            url("line_quantity", sale.pk, line.pk), {"quantity": bad}, follow=True
        )
        assert "Quantity of Leash" in messages_of(response)
    line.refresh_from_db()
    assert line.quantity == 1


def test_paying_an_empty_sale_or_with_no_tender_is_refused(client, sale):
    response = client.post(url("pay", sale.pk), {"tender": "Card"}, follow=True)
    assert "Add an item before taking payment." in messages_of(response)
    client.post(url("scan", sale.pk), {"code": "012345678905"})
    client.post(url("pay", sale.pk), {"tender": "Gold"})
    sale.refresh_from_db()
    assert sale.is_open and not OutboxEntry.objects.exists()


def test_a_paid_or_voided_sale_no_longer_changes(client, store, sale):
    client.post(url("scan", sale.pk), {"code": "012345678905"})
    client.post(url("void", sale.pk))
    response = client.post(url("scan", sale.pk), {"code": "012345678905"}, follow=True)
    assert "is voided" in messages_of(response)
    assert sale.lines.count() == 1
    assert Product.objects.get().stock == 2  # a voided sale takes no stock


def test_a_line_or_reward_of_another_sale_is_not_found(client, store, sale):
    other = Sale.objects.create(store=store)
    client.post(url("scan", other.pk), {"code": "012345678905"})
    line = other.lines.get()
    assert client.post(url("line_remove", sale.pk, line.pk)).status_code == 404
    reward = SaleReward.objects.create(sale=other, kind="coupon", astro_ref="1", name="$5")
    assert client.post(url("decide", sale.pk, reward.pk), {"decision": "apply"}).status_code == 404
    assert client.get(url("sale", 999999)).status_code == 404


def test_a_decision_must_be_apply_or_decline(client, sale):
    reward = SaleReward.objects.create(
        sale=sale, kind="point_reward", astro_ref="1", name="$5 off", amount=Decimal("5")
    )
    client.post(url("decide", sale.pk, reward.pk), {"decision": "maybe"})
    response = client.post(
        url("decide", sale.pk, reward.pk), {"decision": "apply", "amount": "lots"}, follow=True
    )
    assert "Type the discount in dollars" in messages_of(response)
    reward.refresh_from_db()
    assert (reward.decision, reward.amount) == ("", Decimal("5"))


def test_the_receipt_waits_for_payment(client, sale):
    response = client.get(url("receipt", sale.pk), follow=True)
    assert "Take payment first" in messages_of(response)


def test_a_new_customer_gets_the_next_pos_id(client, store):
    Customer.objects.create(store=store, number="CNR-C0001", first_name="A", last_name="B")
    client.post(url("customers") + "?store=CNR", {"first_name": "Riley", "last_name": "Moss"})
    assert Customer.objects.get(first_name="Riley").number == "CNR-C0002"
    response = client.post(url("customers") + "?store=CNR", {"first_name": ""})
    assert response.status_code == 200 and Customer.objects.count() == 2


def test_the_switch_goes_back_to_the_page_only_on_this_site(client, store):
    response = client.post(
        url("astro_switch"), {"store": "CNR", "unreachable": "0", "next": "//evil.example/"}
    )
    assert response["Location"] == url("home") + "?store=CNR"
    store.refresh_from_db()
    assert not store.astro_unreachable
    back = client.post(url("astro_switch"), {"store": "CNR", "unreachable": "1", "next": "/x/"})
    assert back["Location"] == "/x/"


def test_the_register_says_how_to_set_it_up_when_it_has_no_store(client, db):
    assert client.get(url("home")).status_code == 404
