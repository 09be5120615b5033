"""A screen the cashier only looks at writes nothing (SPEC §9): no session touch, no audit row,
no "last seen" column, however often it is opened."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loyalty.services.sales import SaleLine
from loyalty.tests import factories
from loyalty.tests.pos_sales import press_pos_button

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_of(client, path: str, **extra) -> list[str]:
    client.get(path, **extra)  # the first open may set up the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **extra).status_code == 200
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith(WRITES)]


def test_the_checkout_finish_and_search_screens_write_nothing(
    cashier_client, retailer, location, cashier_user
):
    owner = factories.PetOwnerFactory(retailer=retailer, last_name="Whitfield")
    item = factories.ItemFactory()
    factories.enrolled_card(retailer, required=1, items=[item])
    visit = press_pos_button(
        owner=owner,
        location=location,
        cashier=cashier_user,
        sale_id="700",
        pos_customer_id="77",
        subtotal=Decimal("5"),
        total=Decimal("5"),
        return_url="",
        lines=[SaleLine("1", [item.gtin], 1, Decimal("5"), item.description)],
    )
    assert writes_of(cashier_client, reverse("checkout", args=[visit.pk])) == []
    assert writes_of(cashier_client, reverse("finish", args=[visit.pk])) == []
    search = reverse("owner_search") + "?q=Whit"
    assert writes_of(cashier_client, search, HTTP_HX_REQUEST="true") == []
