"""The Astro Loyalty button against the sandbox over real HTTP (SPEC §4 steps 1-3)."""

import pytest
from django.urls import reverse

from integrations.lightspeed.models import LightspeedConnection
from integrations.lightspeed.tests.conftest import make_sale
from loyalty.models import PetOwner, PosLink, Visit
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories
from simulators.lightspeed.models import SandboxSale, SandboxToken

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def food(retailer):
    item = factories.ItemFactory(gtin="036000291452", description="Kibble 25 lb")
    factories.enrolled_card(retailer, required=12, items=[item])
    return item


def press(client, location, **params):
    return client.get(reverse("lightspeed_button", args=[location.button_token]), params)


def test_not_logged_in_goes_to_login_and_keeps_the_sale(client, location):
    response = press(client, location, saleID="5", customerID="7")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "saleID%3D5" in response["Location"]


def test_a_linked_customer_goes_straight_to_checkout_with_the_lines(
    cashier_client, location, account, customer, food
):
    owner = factories.PetOwnerFactory(retailer=location.retailer)
    link_pos_customer(
        owner=owner, pos_system="lightspeed", pos_customer_id=str(customer.pk), actor=None
    )
    sale = make_sale(account, customer, [("036000291452", 2)])
    # Parameters are accepted in any case; unknown ones are ignored.
    response = press(
        cashier_client, location, SALEID=sale.pk, customerid=customer.pk, shopID=1, foo="x"
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/visits/{visit.pk}/"
    assert visit.owner == owner and visit.lines.get().outcome == "punched"
    assert owner.cards.get().purchases.count() == 2


def test_an_unlinked_customer_is_looked_up_by_last_name_then_created_and_linked(
    cashier_client, location, account, customer, food
):
    factories.PetOwnerFactory(retailer=location.retailer, last_name="Lopez", first_name="Ana")
    sale = make_sale(account, customer)
    lookup = cashier_client.get(
        press(cashier_client, location, saleID=sale.pk, customerID=customer.pk)["Location"]
    )
    page = lookup.content.decode()
    assert "Customer Lookup" in page and "Ana Lopez" in page and 'value="Lopez"' in page
    new_url = reverse("lightspeed_new_owner", args=[location.button_token])
    params = {"saleID": sale.pk, "customerID": customer.pk}
    form = cashier_client.get(new_url, params).content.decode()
    assert 'value="Maya"' in form and 'value="maya@example.com"' in form
    saved = cashier_client.post(
        new_url,
        {
            **params,
            "first_name": "Maya",
            "last_name": "Lopez",
            "email": "maya@example.com",
            "phone": "(555) 222-3344",
        },
    )
    checkout = cashier_client.get(saved["Location"])
    owner = PetOwner.objects.get(first_name="Maya")
    assert PosLink.objects.get(pos_customer_id=str(customer.pk)).owner == owner
    assert checkout.status_code == 302 and Visit.objects.get().owner == owner


def test_selecting_an_existing_owner_links_them(cashier_client, location, account, customer):
    ana = factories.PetOwnerFactory(retailer=location.retailer, last_name="Lopez")
    sale = make_sale(account, customer)
    press(cashier_client, location, saleID=sale.pk, customerID=customer.pk)
    response = cashier_client.post(
        reverse("lightspeed_select", args=[location.button_token]),
        {"saleID": sale.pk, "customerID": customer.pk, "owner": ana.pk},
    )
    assert PosLink.objects.get().owner == ana
    assert cashier_client.get(response["Location"])["Location"].startswith("/visits/")


def test_selecting_another_retailers_owner_is_404(
    cashier_client, location, account, customer, other_retailer
):
    stranger = factories.PetOwnerFactory(retailer=other_retailer)
    sale = make_sale(account, customer)
    press(cashier_client, location, saleID=sale.pk, customerID=customer.pk)
    response = cashier_client.post(
        reverse("lightspeed_select", args=[location.button_token]),
        {"saleID": sale.pk, "customerID": customer.pk, "owner": stranger.pk},
    )
    assert response.status_code == 404 and not PosLink.objects.exists()


def test_a_sale_without_a_customer_says_to_add_one(cashier_client, location, account):
    sale = make_sale(account, None)
    response = press(cashier_client, location, saleID=sale.pk)
    assert response.status_code == 409
    assert "Add the customer to the sale in the POS" in response.content.decode()
    assert not Visit.objects.exists()


def test_an_unknown_or_malformed_sale_is_a_clear_message(cashier_client, location, account):
    missing = press(cashier_client, location, saleID="999999")
    assert missing.status_code == 404 and "does not know this sale" in missing.content.decode()
    malformed = press(cashier_client, location, saleID="12;DROP")
    assert (
        malformed.status_code == 400 and "no Lightspeed sale number" in malformed.content.decode()
    )
    assert not Visit.objects.exists()


def test_a_voided_sale_imports_nothing(cashier_client, location, account, customer):
    sale = make_sale(account, customer)
    SandboxSale.objects.filter(pk=sale.pk).update(voided=True)
    response = press(cashier_client, location, saleID=sale.pk)
    assert response.status_code == 409 and "voided" in response.content.decode()
    assert not Visit.objects.exists()


def test_the_pos_down_offers_retry(cashier_client, location, account, customer):
    LightspeedConnection.objects.update(api_base="http://127.0.0.1:9")
    response = press(cashier_client, location, saleID="1")
    page = response.content.decode()
    assert response.status_code == 502 and "not answering" in page and "Retry" in page


def test_a_revoked_token_tells_the_cashier_to_ask_an_admin(cashier_client, location, account):
    SandboxToken.objects.update(revoked=True, access_token="gone", refresh_token="gone2")
    response = press(cashier_client, location, saleID="1")
    assert response.status_code == 502 and "admin" in response.content.decode()


def test_another_stores_button_is_404(client, other_retailer, location, account):
    client.force_login(factories.UserFactory(retailer=other_retailer, role="cashier"))
    assert press(client, location, saleID="1").status_code == 404


def test_the_sales_shop_picks_the_mapped_location(
    cashier_client, location, account, customer, food
):
    location.pos_shop_id = "1"
    location.save()
    riverside = factories.LocationFactory(retailer=location.retailer, pos_shop_id="2")
    owner = factories.PetOwnerFactory(retailer=location.retailer)
    link_pos_customer(
        owner=owner, pos_system="lightspeed", pos_customer_id=str(customer.pk), actor=None
    )
    sale = make_sale(account, customer)
    SandboxSale.objects.filter(pk=sale.pk).update(shop_id="2")
    press(cashier_client, location, saleID=sale.pk)
    assert Visit.objects.get().location == riverside
