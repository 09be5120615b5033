"""The button click's database work does not grow with the sale's lines (SPEC §9)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from integrations import memory
from integrations.base import PosCustomer, PosLine, PosSale
from integrations.lightspeed.models import LightspeedConnection
from loyalty.models import Card
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories


@pytest.fixture
def in_memory_pos(settings):
    settings.POS_SALE_SOURCES = {"lightspeed": "integrations.memory.InMemorySaleSource"}
    yield memory
    memory.reset()


@pytest.mark.parametrize("lines", [1, 50])
def test_a_click_reads_and_writes_the_same_queries_for_one_line_or_fifty(
    cashier_client, location, in_memory_pos, django_assert_num_queries, lines
):
    retailer = location.retailer
    LightspeedConnection.objects.create(retailer=retailer, account_id="100042")
    owner = factories.PetOwnerFactory(retailer=retailer)
    link_pos_customer(owner=owner, pos_system="lightspeed", pos_customer_id="C-9", actor=None)
    pos_lines = []
    for n in range(lines):  # each line completes a card of its own: the most work per line
        item = factories.ItemFactory()
        factories.enrolled_card(retailer, required=1, items=[item])
        pos_lines.append(PosLine(str(n), (item.gtin,), item.description, 1, Decimal("5")))
    in_memory_pos.sales["1042"] = PosSale(
        sale_id="1042",
        customer=PosCustomer(pos_customer_id="C-9"),
        lines=tuple(pos_lines),
        subtotal=Decimal(5 * lines),
        total=Decimal(5 * lines),
    )
    button = reverse("lightspeed_button", args=[location.button_token])
    # Session, user, the location, the link, the owner lock, the visit, the items, the cards
    # they qualify for (with the enrollments and programs), the lines, the open cards, the new
    # cards, the punches, the points (one INSERT, less what the sale earned before).
    with django_assert_num_queries(13):
        response = cashier_client.get(button, {"saleID": "1042", "customerID": "C-9"})
    assert response.status_code == 302
    assert Card.objects.filter(owner=owner, status="complete").count() == lines
