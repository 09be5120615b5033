"""The button over real HTTP to the sandbox, for what the in-memory twin cannot show: a store's
own Buy X Get Y card punching by Heartland item number (seed 001), goods sold by weight, and a
revoked token."""

from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.models import Item, Purchase, Visit, VisitLine
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories
from simulators.heartland.tests.factories import make_customer, make_item, make_ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def maya(sandbox_account, location):
    customer = make_customer(sandbox_account)
    owner = factories.PetOwnerFactory(retailer=location.retailer, last_name="Lopez")
    link_pos_customer(
        owner=owner, pos_system="heartland", pos_customer_id=str(customer.pk), actor=None
    )
    return customer, owner


def press(client, location, ticket):
    return client.get(
        reverse("heartland_button", args=[location.button_token]), {"ticket_id": ticket.pk}
    )


def test_a_custom_buy_x_get_y_card_punches_by_the_heartland_item_number(
    cashier_client, location, sandbox_account, maya
):
    customer, owner = maya
    wash = Item.objects.create(
        retailer=location.retailer, item_number="SELFWASH", description="Self-wash"
    )
    program = factories.ProgramFactory(
        kind="buy_x_get_y", retailer=location.retailer, manufacturer=None
    )
    card = factories.ProgramCardFactory(program=program, purchases_required=5)
    card.qualifying_items.set([wash])
    item = make_item(
        sandbox_account, "Self-service dog wash", "15.00", upc="", public_id="SELFWASH"
    )
    ticket = make_ticket(sandbox_account, [(item, 2, "15.00")], customer=customer)

    response = press(cashier_client, location, ticket)

    visit = Visit.objects.get()
    assert response.url == reverse("checkout", args=[visit.pk])
    assert Purchase.objects.filter(card__owner=owner, card__program_card=card).count() == 2


def test_goods_sold_by_weight_are_an_unknown_item_for_their_amount(
    cashier_client, location, sandbox_account, maya
):
    customer, _owner = maya
    treats = make_item(sandbox_account, "Bulk treats (per lb)", "7.99", upc="", public_id="BULK")
    ticket = make_ticket(sandbox_account, [(treats, 1.5, "7.99")], customer=customer)

    press(cashier_client, location, ticket)

    line = VisitLine.objects.get()
    assert line.outcome == "unknown" and line.quantity == 1
    assert line.unit_price == Decimal("11.99")
    assert line.description == "Bulk treats (per lb) (1.5 by weight)"


def test_a_revoked_token_tells_the_cashier_an_admin_must_connect_again(
    cashier_client, location, sandbox_account, maya
):
    customer, _owner = maya
    ticket = make_ticket(
        sandbox_account, [(make_item(sandbox_account), 1, "5.00")], customer=customer
    )
    sandbox_account.token_revoked = True
    sandbox_account.save()

    response = press(cashier_client, location, ticket)

    assert response.status_code == 502
    assert "connect the store again under Settings → Heartland" in response.content.decode()
    assert not Visit.objects.exists()
