"""Settings → X-Series: connecting over OAuth (against the sandbox's consent page and token
endpoint, over real HTTP) or with a personal token, one POS per store, outlets, turning off."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from integrations.lightspeed_x.models import XSeriesConnection
from loyalty.models import Location
from simulators.lightspeed_x.models import SandboxOutlet

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def host(live_server) -> dict:
    """Requests as if made to the live server, so Astro's own absolute URLs reach it."""
    return {"HTTP_HOST": live_server.url.removeprefix("http://")}


def test_the_page_shows_each_locations_gateway_url(admin_client, location, host):
    page = admin_client.get(reverse("lightspeed_x_connect"), **host)
    assert page.status_code == 200
    assert "not connected to Lightspeed X-Series yet" in page.text
    assert f"/pos/lightspeed-x/{location.button_token}/pay/" in page.text


def test_oauth_against_the_sandbox_connects_the_store(admin_client, retailer, store, host):
    start = admin_client.get(reverse("lightspeed_x_authorize") + "?sandbox=1", **host)
    consent = urlsplit(start["Location"])
    query = {key: values[0] for key, values in parse_qs(consent.query).items()}
    assert consent.path == "/sandbox/lightspeed-x/connect" and query["state"]

    approved = admin_client.post(
        consent.path, {**query, "store": "pawsome", "approve": "1"}, **host
    )
    callback = urlsplit(approved["Location"])
    assert callback.path == reverse("lightspeed_x_callback")
    done = admin_client.get(f"{callback.path}?{callback.query}", **host)

    assert done["Location"] == reverse("lightspeed_x_connect")
    connection = XSeriesConnection.objects.get(retailer=retailer)
    assert connection.domain_prefix == "pawsome" and connection.refresh_token
    assert connection.api_base.endswith("/sandbox/lightspeed-x/pawsome")
    retailer.refresh_from_db()
    assert retailer.pos_integration == "lightspeed_x"


def test_a_callback_not_started_here_saves_nothing(admin_client, store, host):
    url = reverse("lightspeed_x_callback") + "?code=abc&domain_prefix=pawsome&state=forged"
    response = admin_client.get(url, **host)
    assert response.status_code == 400 and "not" in response.text
    assert not XSeriesConnection.objects.exists()


def test_a_personal_token_is_tried_before_it_is_saved(admin_client, retailer, store, host):
    url = reverse("lightspeed_x_token")
    wrong = {"domain_prefix": "pawsome", "token": "nope", "sandbox": "on"}
    refused = admin_client.post(url, wrong, **host)
    assert refused.status_code == 422 and "did not accept this token" in refused.text
    assert not XSeriesConnection.objects.exists()

    right = {"domain_prefix": "pawsome", "token": store.personal_token, "sandbox": "on"}
    assert admin_client.post(url, right, **host).status_code == 302
    connection = XSeriesConnection.objects.get(retailer=retailer)
    assert connection.uses_personal_token and connection.refresh_token == ""


def test_a_store_on_another_pos_is_told_to_turn_it_off_first(admin_client, retailer, store, host):
    retailer.pos_integration = "pinogy"
    retailer.save()
    data = {"domain_prefix": "pawsome", "token": store.personal_token, "sandbox": "on"}
    response = admin_client.post(reverse("lightspeed_x_token"), data, **host)
    assert response.status_code == 422 and "one POS integration at a time" in response.text
    assert not XSeriesConnection.objects.exists()


def test_a_domain_prefix_cannot_name_another_host(admin_client, store, host):
    data = {"domain_prefix": "evil.example/x", "token": store.personal_token}
    response = admin_client.post(reverse("lightspeed_x_token"), data, **host)
    assert response.status_code == 422 and "domain prefix" in response.text


def test_each_location_picks_its_outlet(admin_client, location, connected, store, host):
    second = SandboxOutlet.objects.create(store=store, name="Riverside")
    page = admin_client.get(reverse("lightspeed_x_connect"), **host)
    assert "Riverside" in page.text and connected.webhook_key in page.text
    field = f"location-{location.pk}-outlet"
    response = admin_client.post(
        reverse("lightspeed_x_outlets"), {field: str(second.outlet_id)}, **host
    )
    assert response.status_code == 302
    assert Location.objects.get(pk=location.pk).pos_shop_id == str(second.outlet_id)


def test_turning_x_series_off_forgets_the_tokens(admin_client, retailer, connected, host):
    admin_client.post(reverse("lightspeed_x_disconnect"), **host)
    retailer.refresh_from_db()
    assert retailer.pos_integration == "" and not XSeriesConnection.objects.exists()
