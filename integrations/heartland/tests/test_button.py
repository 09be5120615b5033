"""The UI extension and its Astro Loyalty button: what each ticket leads to, and what the URL
may not decide (SPEC §4 steps 1-3; nothing about items or money comes from the URL)."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from integrations.base import PosCustomer, PosLine, PosSale
from integrations.heartland.adapter import HeartlandSaleSource
from integrations.heartland.pos import HeartlandPos
from loyalty.contracts.pos import PosSaleSource, RedirectPos
from loyalty.models import PosLink, Purchase, Visit
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories

from .conftest import STORE_SITE

pytestmark = pytest.mark.django_db

FOOD = "036000291452"
POS_URL = f"{STORE_SITE}/pos/tickets/104231"


def ticket(ticket_id="104231", customer_id="100018", quantity=1, **fields):
    customer = PosCustomer(
        pos_customer_id=customer_id,
        first_name="Maya",
        last_name="Lopez",
        email="maya@example.com",
    )
    line = PosLine("5110001", (FOOD, "KIB-25"), "Kibble 25 lb", quantity, Decimal("54.99"))
    values = {
        "sale_id": ticket_id,
        "customer": customer if customer_id else None,
        "lines": (line,),
        "subtotal": Decimal("54.99") * quantity,
        "total": Decimal("59.39") * quantity,
        "shop_id": "100001",
        **fields,
    }
    return PosSale(**values)


def press(client, location, ticket_id="104231", pos_url=POS_URL, **extra):
    params = {"ticket_id": ticket_id, "pos_url": pos_url, **extra}
    return client.get(reverse("heartland_button", args=[location.button_token]), params)


@pytest.fixture
def program(location):
    food = factories.ItemFactory(gtin=FOOD, description="Kibble 25 lb")
    return factories.enrolled_card(location.retailer, required=3, items=[food])


@pytest.fixture
def linked(location):
    owner = factories.PetOwnerFactory(retailer=location.retailer, last_name="Lopez")
    link_pos_customer(owner=owner, pos_system="heartland", pos_customer_id="100018", actor=None)
    return owner


def test_the_real_adapters_fit_their_protocols():
    assert issubclass(HeartlandSaleSource, PosSaleSource)
    assert isinstance(HeartlandPos(), RedirectPos)


# --- The extension --------------------------------------------------------------------------
def test_the_extension_needs_no_login_and_may_be_framed_by_heartland_only(client, location):
    response = client.get(
        reverse("heartland_extension", args=[location.button_token]),
        {"ticket_id": "104231", "customer_id": "5", "subdomain": "pawsome", "pos_url": POS_URL},
    )
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split("; ")
    }
    # The site's strict policy stays; only the framers are Heartland's (and the sandbox).
    assert policy["frame-ancestors"] == ["https://*.retail.heartland.us", "'self'"]
    assert policy["script-src"] == ["'self'"]
    page = response.content.decode()
    href = page.split('id="astro-loyalty" class="go" href="')[1].split('"')[0].replace("&amp;", "&")
    parts = urlsplit(href)
    assert parts.path == reverse("heartland_button", args=[location.button_token])
    # Only the ticket and where to return: the customer comes from the API, never the URL.
    assert parse_qs(parts.query) == {"ticket_id": ["104231"], "pos_url": [POS_URL]}
    assert href.startswith("http://testserver/")
    # A strict CSP is coming: the strip's script is a static file, nothing inline.
    assert "<script>" not in page and "onclick" not in page
    assert 'src="/static/js/heartland-extension.js"' in page


def test_the_extension_of_a_ticket_not_started_yet_offers_no_button(client, location):
    response = client.get(reverse("heartland_extension", args=[location.button_token]))
    page = response.content.decode()
    assert 'aria-disabled="true"' in page and "Add an item or a customer" in page
    assert "heartland_button" not in page and "/pos/heartland/" not in page.split("<body")[1]


def test_the_extension_drops_a_pos_url_too_long_to_be_a_heartland_page(client, location):
    long_url = POS_URL + "?x=" + "a" * 600
    response = client.get(
        reverse("heartland_extension", args=[location.button_token]),
        {"ticket_id": "1", "pos_url": long_url},
    )
    assert "pos_url" not in response.content.decode()


def test_without_the_sandbox_only_heartland_may_frame_it(client, location, settings):
    settings.POS_SANDBOX_ENABLED = False
    response = client.get(reverse("heartland_extension", args=[location.button_token]))
    assert "frame-ancestors https://*.retail.heartland.us;" in (
        response["Content-Security-Policy"] + ";"
    )


# --- The button -------------------------------------------------------------------------------
def test_logged_out_the_button_asks_for_a_login_and_keeps_the_ticket(client, location):
    response = press(client, location)
    assert response.status_code == 302
    next_url = parse_qs(urlsplit(response.url).query)["next"][0]
    assert parse_qs(urlsplit(next_url).query)["ticket_id"] == ["104231"]


def test_a_link_without_a_ticket_says_so(cashier_client, location, twins):
    response = press(cashier_client, location, ticket_id="")
    assert response.status_code == 400
    assert "names no Heartland Retail ticket" in response.content.decode()


def test_a_store_not_connected_is_told_who_can_connect_it(cashier_client, location, retailer):
    response = press(cashier_client, location)
    assert response.status_code == 502
    assert "not connected to Heartland Retail yet" in response.content.decode()


def test_a_ticket_heartland_does_not_confirm_adds_nothing(cashier_client, location, twins, linked):
    response = press(cashier_client, location)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Heartland has not saved this ticket" in page and "Retry" in page
    assert not Visit.objects.exists() and not Purchase.objects.exists()


def test_a_voided_ticket_is_refused(cashier_client, location, twins, linked):
    twins.sales["104231"] = ticket(is_voided=True)
    response = press(cashier_client, location)
    assert response.status_code == 409 and "was voided" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_ticket_without_a_customer_asks_for_one(cashier_client, location, twins):
    twins.sales["104231"] = ticket(customer_id="")
    response = press(cashier_client, location)
    assert response.status_code == 409
    assert "Add the customer to the ticket in Heartland Retail" in response.content.decode()


def test_a_linked_customer_goes_straight_to_checkout_and_finished_returns_to_the_ticket(
    cashier_client, location, twins, linked, program
):
    twins.sales["104231"] = ticket(quantity=2)
    response = press(cashier_client, location)
    visit = Visit.objects.get()
    assert response.url == reverse("checkout", args=[visit.pk])
    assert (visit.pos_system, visit.pos_sale_id, visit.owner) == ("heartland", "104231", linked)
    assert visit.return_url == POS_URL
    assert Purchase.objects.filter(card__owner=linked, state="active").count() == 2


@pytest.mark.parametrize(
    "pos_url",
    [
        "https://evil.example/pos",
        "https://pawsome.retail.heartland.us.evil.example/pos",
        "https://rival.retail.heartland.us/pos",
        "http://pawsome.retail.heartland.us/pos",
        "https://pawsome.retail.heartland.us@evil.example/pos",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_pos_url_off_the_stores_site_is_never_the_way_back(
    cashier_client, location, twins, linked, pos_url
):
    twins.sales["104231"] = ticket()
    press(cashier_client, location, pos_url=pos_url)
    assert Visit.objects.get().return_url == f"{STORE_SITE}/pos/"


def test_a_ticket_of_another_heartland_location_counts_there(
    cashier_client, location, retailer, twins, linked
):
    location.pos_shop_id = "100001"
    location.save()
    other = factories.LocationFactory(retailer=retailer, name="Normal", pos_shop_id="100002")
    twins.sales["104231"] = ticket(shop_id="100002")
    press(cashier_client, location)
    assert Visit.objects.get().location == other


def test_another_stores_button_is_not_found(client, location, twins, other_retailer):
    stranger = factories.UserFactory(retailer=other_retailer, role="cashier")
    client.force_login(stranger)
    assert press(client, location).status_code == 404


# --- Not linked yet ---------------------------------------------------------------------------
def test_an_unlinked_customer_is_looked_up_by_last_name_and_prefilled_with_the_phone(
    cashier_client, location, twins
):
    twins.sales["104231"] = ticket()
    twins.customers["100018"] = PosCustomer(
        pos_customer_id="100018",
        first_name="Maya",
        last_name="Lopez",
        email="maya@example.com",
        phone="(217) 555-0199",
        city="Springfield",
    )
    response = press(cashier_client, location)
    query = parse_qs(urlsplit(response.url).query)
    assert urlsplit(response.url).path == reverse("heartland_lookup", args=[location.button_token])
    assert query["q"] == ["Lopez"] and query["customer_id"] == ["100018"]
    assert query["pos_url"] == [POS_URL]
    lookup = cashier_client.get(response.url).content.decode()
    assert "Heartland customer: <strong>Maya Lopez</strong>" in lookup
    new_owner = cashier_client.get(
        reverse("heartland_new_owner", args=[location.button_token]),
        {"ticket_id": "104231", "customer_id": "100018", "pos_url": POS_URL},
    ).content.decode()
    assert 'value="(217) 555-0199"' in new_owner and 'value="Springfield"' in new_owner


def test_save_pet_owner_creates_links_and_imports_the_ticket(
    cashier_client, location, twins, program
):
    twins.sales["104231"] = ticket()
    press(cashier_client, location)  # remembers the customer for the lookup
    params = {"ticket_id": "104231", "customer_id": "100018", "pos_url": POS_URL}
    data = params | {"first_name": "Maya", "last_name": "Lopez", "email": "maya@example.com"}
    response = cashier_client.post(
        reverse("heartland_new_owner", args=[location.button_token]), data
    )
    assert urlsplit(response.url).path == reverse("heartland_button", args=[location.button_token])
    link = PosLink.objects.get(pos_system="heartland", pos_customer_id="100018")
    assert link.owner.email == "maya@example.com"
    checkout = cashier_client.get(response.url)
    assert checkout.url == reverse("checkout", args=[Visit.objects.get(owner=link.owner).pk])


def test_select_links_an_existing_owner(cashier_client, location, twins):
    owner = factories.PetOwnerFactory(retailer=location.retailer, last_name="Lopez")
    twins.sales["104231"] = ticket()
    press(cashier_client, location)
    params = {"ticket_id": "104231", "customer_id": "100018", "pos_url": POS_URL}
    cashier_client.post(
        reverse("heartland_select", args=[location.button_token]), params | {"owner": owner.pk}
    )
    assert PosLink.objects.get(pos_customer_id="100018").owner == owner


def test_a_stale_lookup_starts_again_from_the_ticket(cashier_client, location, twins):
    response = cashier_client.get(
        reverse("heartland_lookup", args=[location.button_token]),
        {"ticket_id": "104231", "customer_id": "100018"},
    )
    assert urlsplit(response.url).path == reverse("heartland_button", args=[location.button_token])
