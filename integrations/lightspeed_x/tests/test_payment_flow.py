"""The Astro Loyalty payment type, server side, against the sandbox API over real HTTP: only the
API's copy of a sale is recorded; a sale the API does not have waits and records nothing."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from integrations.lightspeed_x.models import WaitingSale
from loyalty.models import PosLink, Purchase, Visit
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories
from simulators.lightspeed_x.models import SaleState, SandboxStore
from simulators.lightspeed_x.tests.factories import make_product, make_sale

from .conftest import FOOD_UPC

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def program(retailer):
    food = factories.ItemFactory(gtin=FOOD_UPC, description="Kibble 25 lb")
    return factories.enrolled_card(retailer, required=3, items=[food])


@pytest.fixture
def linked(retailer, customer):
    owner = factories.PetOwnerFactory(retailer=retailer, first_name="Maya", last_name="Lopez")
    link_pos_customer(
        owner=owner,
        pos_system="lightspeed_x",
        pos_customer_id=str(customer.customer_id),
        actor=None,
    )
    return owner


def punches(owner) -> int:
    return Purchase.objects.filter(card__owner=owner, state="active").count()


def gateway(location) -> str:
    return reverse("lightspeed_x_gateway", args=[location.button_token])


def sale_page(location, sale) -> str:
    return reverse("lightspeed_x_sale", args=[location.button_token, str(sale.sale_id)])


def post_register_sale(client, location, register_sale: dict):
    url = reverse("lightspeed_x_receive_sale", args=[location.button_token])
    return client.post(url, {"register_sale": json.dumps(register_sale)})


def test_the_gateway_page_talks_only_to_the_stores_register(cashier_client, location, connected):
    response = cashier_client.get(gateway(location) + "?amount=59.39&origin=https://evil.example")
    assert response.status_code == 200
    assert f'data-register-origin="{connected.register_origin}"' in response.text
    assert "lightspeed_x_payment.js" in response.text


def test_a_store_not_on_x_series_gets_a_clear_page(cashier_client, location, retailer):
    response = cashier_client.get(gateway(location))
    assert response.status_code == 409
    assert "Lightspeed X-Series is not turned on" in response.text


def test_another_stores_gateway_url_answers_404(cashier_client, other_retailer, connected):
    other = factories.LocationFactory(retailer=other_retailer)
    assert cashier_client.get(gateway(other)).status_code == 404


def test_logged_out_the_gateway_goes_to_the_login_page(client, location, connected):
    response = client.get(gateway(location))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_only_the_apis_lines_punch_whatever_the_browser_sent(
    cashier_client, location, connected, store, customer, food, linked, program
):
    sale = make_sale(store, [(food, 1)], customer=customer)
    forged = {
        "id": str(sale.sale_id),
        "customer_id": str(customer.customer_id),
        "line_items": [{"product_id": str(food.product_id), "name": "Kibble", "quantity": "9"}],
    }
    response = post_register_sale(cashier_client, location, forged)
    assert response.status_code == 302 and response["Location"] == sale_page(location, sale)

    response = cashier_client.get(response["Location"])

    visit = Visit.objects.get(pos_sale_id=str(sale.sale_id))
    assert response.status_code == 302 and response["Location"] == f"/visits/{visit.pk}/"
    assert visit.pos_system == "lightspeed_x" and visit.owner == linked
    assert punches(linked) == 1  # the API's one bag, not the browser's nine
    assert visit.return_url.startswith(reverse("lightspeed_x_done", args=[location.button_token]))


def test_a_sale_the_api_does_not_have_waits_and_records_nothing(
    cashier_client, location, connected, store, customer, food, linked, program
):
    sale = make_sale(store, [(food, 2)], customer=customer, saved=False)
    post_register_sale(
        cashier_client,
        location,
        {"id": str(sale.sale_id), "line_items": [{"name": "Kibble 25 lb", "quantity": "2"}]},
    )
    response = cashier_client.get(sale_page(location, sale))
    assert response.status_code == 202
    assert "Waiting for Lightspeed to save this sale" in response.text
    assert "Not added yet" in response.text and "Kibble 25 lb" in response.text
    assert punches(linked) == 0 and not Visit.objects.exists()
    assert WaitingSale.objects.get().state == "waiting"

    last = cashier_client.get(sale_page(location, sale) + "?check=8")
    assert "Lightspeed has not saved this sale yet" in last.text
    assert "data-next-url" not in last.text  # the page stops asking by itself

    sale.saved = True
    sale.save()
    response = cashier_client.get(sale_page(location, sale))
    assert response.status_code == 302 and punches(linked) == 2
    assert WaitingSale.objects.get().state == "recorded"


def test_an_unlinked_customer_is_looked_up_then_created_and_linked(
    cashier_client, location, connected, store, customer, food, program
):
    sale = make_sale(store, [(food, 1)], customer=customer)
    response = cashier_client.get(sale_page(location, sale))
    lookup = reverse("lightspeed_x_lookup", args=[location.button_token, str(sale.sale_id)])
    assert response["Location"] == lookup
    page = cashier_client.get(lookup)
    assert "Customer Lookup" in page.text and 'value="Lopez"' in page.text

    new_owner = reverse("lightspeed_x_new_owner", args=[location.button_token, str(sale.sale_id)])
    form = cashier_client.get(new_owner)
    assert 'value="maya@example.com"' in form.text and 'value="(555) 222-3344"' in form.text
    response = cashier_client.post(
        new_owner,
        {
            "first_name": "Maya",
            "last_name": "Lopez",
            "email": "maya@example.com",
            "phone": "(555) 222-3344",
        },
    )
    assert response["Location"] == sale_page(location, sale)
    link = PosLink.objects.get(pos_customer_id=str(customer.customer_id))
    cashier_client.get(response["Location"])
    assert punches(link.owner) == 1


@pytest.mark.parametrize(
    ("change", "title"),
    [({"state": SaleState.VOIDED}, "This sale was voided"), ({"customer": None}, "No customer")],
)
def test_a_voided_sale_or_one_without_customer_is_refused(
    cashier_client, location, connected, store, customer, food, change, title
):
    sale = make_sale(store, [(food, 1)], customer=customer)
    for name, value in change.items():
        setattr(sale, name, value)
    sale.save()
    response = cashier_client.get(sale_page(location, sale))
    assert response.status_code == 409 and title in response.text
    assert not Visit.objects.exists()


def test_a_posted_thing_that_is_not_a_register_sale_is_refused(cashier_client, location, connected):
    url = reverse("lightspeed_x_receive_sale", args=[location.button_token])
    response = cashier_client.post(url, {"register_sale": "{not json"})
    assert response.status_code == 400 and "did not send a sale" in response.text


def test_the_done_page_closes_the_registers_window(cashier_client, location, connected):
    response = cashier_client.get(reverse("lightspeed_x_done", args=[location.button_token]))
    assert 'data-auto-step="EXIT"' in response.text
    assert "ACCEPT" not in response.text


def test_another_store_cannot_read_a_sale_through_its_own_gateway(
    client, other_retailer, connected, store, customer, food, linked, program
):
    other_cashier = factories.UserFactory(retailer=other_retailer, role="cashier")
    other_location = factories.LocationFactory(retailer=other_retailer)
    client.force_login(other_cashier)
    sale = make_sale(store, [(food, 1)], customer=customer)
    response = client.get(sale_page(other_location, sale))
    assert response.status_code == 409  # not an X-Series store: nothing is fetched
    assert punches(linked) == 0


def test_incorrect_customer_undoes_the_sale_and_closes_the_registers_window(
    cashier_client, location, connected, store, customer, food, linked, program
):
    sale = make_sale(store, [(food, 1)], customer=customer)
    cashier_client.get(sale_page(location, sale))
    visit = Visit.objects.get(pos_sale_id=str(sale.sale_id))
    response = cashier_client.post(reverse("incorrect_customer", args=[visit.pk]))
    assert response.status_code == 302
    assert response["Location"] == visit.return_url  # the page that sends EXIT
    assert punches(linked) == 0 and not PosLink.objects.filter(owner=linked).exists()


def test_one_press_costs_the_sale_each_distinct_product_once_and_the_customer(
    cashier_client, location, connected, store, customer, food, linked, program
):
    toy, bowl = make_product(store, "Toy", "5.00"), make_product(store, "Bowl", "9.00")
    sale = make_sale(store, [(food, 1), (toy, 2), (food, 1), (bowl, 1)], customer=customer)
    before = SandboxStore.objects.get(pk=store.pk).window_count
    cashier_client.get(sale_page(location, sale))
    # docs/rate_limiting budgets 350 requests per 5 minutes for a one-register store.
    assert SandboxStore.objects.get(pk=store.pk).window_count - before == 1 + 3 + 1
