"""Settings → Heartland: an admin connects with an API token (checked against Heartland before
it is stored), maps locations, disconnects; one POS integration per store (SPEC §1)."""

from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from integrations.heartland.forms import ConnectForm
from integrations.heartland.models import HeartlandConnection
from loyalty.models import AuditEvent
from loyalty.tests import factories
from simulators.heartland.models import SandboxLocation
from simulators.heartland.tests.factories import API_PREFIX, make_account

PAGE = "heartland_connect"


@pytest.fixture
def heartland(live_server, settings, transactional_db):
    """The sandbox stands in for https://{subdomain}.retail.heartland.us/api."""
    settings.HEARTLAND_API_BASE = f"{live_server.url}{API_PREFIX}"
    account = make_account("pawsome")
    SandboxLocation.objects.create(account=account, name="Riverside", public_id="RS")
    return account


def connect(client, token, subdomain="pawsome"):
    return client.post(reverse("heartland_connect_token"), {"subdomain": subdomain, "token": token})


def test_a_working_token_connects_the_store_and_turns_the_integration_on(
    admin_client, retailer, location, heartland
):
    response = connect(admin_client, heartland.api_token)
    assert response.url == reverse(PAGE)
    connection = HeartlandConnection.objects.get(retailer=retailer)
    assert connection.subdomain == "pawsome" and connection.token == heartland.api_token
    retailer.refresh_from_db()
    assert retailer.pos_integration == "heartland"
    page = admin_client.get(reverse(PAGE)).content.decode()
    assert "Connected to Heartland Retail (pawsome): 2 locations." in page
    assert f"API token ending …{heartland.api_token[-4:]}" in page
    assert heartland.api_token not in page
    assert "Main Street (id" in page and "Riverside (id" in page  # the mapping choices
    audit = AuditEvent.objects.get(action="heartland.connected")
    assert audit.data["token_hint"] == heartland.api_token[-4:]
    assert heartland.api_token not in str(audit.data)


def test_a_refused_token_is_not_stored(admin_client, retailer, heartland):
    response = connect(admin_client, "wrong-token-1234")
    assert response.status_code == 422
    assert "refused Astro's API token" in unescape(response.content.decode())
    assert not HeartlandConnection.objects.exists()
    retailer.refresh_from_db()
    assert retailer.pos_integration == ""


def test_heartland_down_is_said_and_nothing_is_stored(admin_client, settings, db):
    settings.HEARTLAND_API_BASE = "http://127.0.0.1:9/api"
    response = connect(admin_client, "some-token-1234")
    assert response.status_code == 422
    assert "not answering" in response.content.decode()
    assert not HeartlandConnection.objects.exists()


def test_a_store_on_another_pos_integration_is_told_to_turn_it_off_first(
    admin_client, retailer, heartland
):
    retailer.pos_integration = "lightspeed"
    retailer.save()
    response = connect(admin_client, heartland.api_token)
    assert response.status_code == 422
    assert "already uses the Lightspeed Retail (redirect) integration" in response.content.decode()
    assert not HeartlandConnection.objects.exists()


def test_locations_are_mapped_to_heartland_locations_once_each(
    admin_client, retailer, location, heartland
):
    connect(admin_client, heartland.api_token)
    other = factories.LocationFactory(retailer=retailer, name="Riverside")
    main, riverside = heartland.locations.order_by("pk")
    response = admin_client.post(
        reverse("heartland_locations"),
        {f"location_{location.pk}": main.pk, f"location_{other.pk}": main.pk},
    )
    assert response.status_code == 422
    assert "is already this Heartland location" in response.content.decode()
    admin_client.post(
        reverse("heartland_locations"),
        {f"location_{location.pk}": main.pk, f"location_{other.pk}": riverside.pk},
    )
    location.refresh_from_db()
    other.refresh_from_db()
    assert (location.pos_shop_id, other.pos_shop_id) == (str(main.pk), str(riverside.pk))


def test_a_tampered_location_id_of_another_store_is_ignored(
    admin_client, location, other_retailer, heartland
):
    connect(admin_client, heartland.api_token)
    theirs = factories.LocationFactory(retailer=other_retailer, pos_shop_id="")
    main = heartland.locations.order_by("pk").first()
    admin_client.post(reverse("heartland_locations"), {f"location_{theirs.pk}": main.pk})
    theirs.refresh_from_db()
    assert theirs.pos_shop_id == ""


def test_disconnect_forgets_the_token_and_turns_the_integration_off(
    admin_client, retailer, heartland
):
    connect(admin_client, heartland.api_token)
    admin_client.post(reverse("heartland_disconnect"))
    assert not HeartlandConnection.objects.exists()
    retailer.refresh_from_db()
    assert retailer.pos_integration == ""
    assert AuditEvent.objects.filter(action="heartland.disconnected").exists()


def test_the_page_lists_each_locations_extension_url(admin_client, location, db):
    page = admin_client.get(reverse(PAGE)).content.decode()
    assert reverse("heartland_extension", args=[location.button_token]) in page
    assert "not connected to Heartland Retail yet" in page


def test_the_locations_screen_offers_the_extension_url_to_a_heartland_store(
    admin_client, retailer, location, db
):
    retailer.pos_integration = "heartland"
    retailer.save()
    page = admin_client.get(reverse("locations")).content.decode()
    assert reverse("heartland_extension", args=[location.button_token]) in page


def test_cashiers_may_not_open_or_post_the_settings(cashier_client, db):
    assert cashier_client.get(reverse(PAGE)).status_code == 403
    assert cashier_client.post(reverse("heartland_disconnect")).status_code == 403


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("pawsome", "pawsome"),
        ("PawSome.retail.heartland.us", "pawsome"),
        ("https://pawsome.retail.heartland.us/pos/tickets/5", "pawsome"),
        ("pet-store-2", "pet-store-2"),
    ],
)
def test_the_address_may_be_given_any_way_an_admin_copies_it(given, expected):
    form = ConnectForm({"subdomain": given, "token": "abcdefgh1234"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["subdomain"] == expected


@pytest.mark.parametrize("given", ["-pawsome", "paw some", "paw_some", "a" * 64, "évian", ""])
def test_an_address_that_is_not_a_subdomain_is_refused(given):
    form = ConnectForm({"subdomain": given, "token": "abcdefgh1234"})
    assert not form.is_valid() and "subdomain" in form.errors


@pytest.mark.parametrize("token", ["short", "has space inside", ""])
def test_a_token_that_cannot_be_one_is_refused(token):
    form = ConnectForm({"subdomain": "pawsome", "token": token})
    assert not form.is_valid() and "token" in form.errors


def test_the_sandbox_choice_connects_to_this_sites_sandbox(admin_client, live_server, heartland):
    host = urlsplit(live_server.url).netloc
    admin_client.post(
        reverse("heartland_connect_token"),
        {"subdomain": "pawsome", "token": heartland.api_token, "sandbox": "on"},
        HTTP_HOST=host,
    )
    connection = HeartlandConnection.objects.get()
    assert connection.api_base == f"{live_server.url}{API_PREFIX}"
