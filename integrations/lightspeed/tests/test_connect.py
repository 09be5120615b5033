"""Settings → Lightspeed as an admin uses it: locations, Connect, the OAuth callback."""

from __future__ import annotations

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from integrations.lightspeed.connection import connect_account
from integrations.lightspeed.models import LightspeedConnection
from loyalty.models import AuditEvent
from loyalty.tests import factories
from simulators.lightspeed.tests.factories import SANDBOX_PREFIX, make_account

PAGE = "/settings/lightspeed/"
AUTHORIZE = "/settings/lightspeed/authorize/"
CALLBACK = "/settings/lightspeed/callback/"


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def connect(retailer, **fields) -> LightspeedConnection:
    values = {
        "account_id": "150001",
        "api_base": "https://api.lightspeedapp.com",
        "auth_base": "https://cloud.lightspeedapp.com",
        "access": "secret-access-token",
        "refresh": "secret-refresh-token",
        "expires_in": 3600,
        "actor": None,
    } | fields
    return connect_account(retailer=retailer, **values)


def location_post(location, shop_id: str = "", return_url: str = "") -> dict[str, str]:
    prefix = f"location-{location.pk}"
    return {f"{prefix}-pos_shop_id": shop_id, f"{prefix}-pos_return_url": return_url}


# --- who may see what -----------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("url", [PAGE, AUTHORIZE, f"{CALLBACK}?code=x&state=y"])
def test_cashiers_get_403_on_every_lightspeed_settings_view(cashier_client, location, url):
    assert cashier_client.get(url).status_code == 403
    response = cashier_client.post(PAGE, location_post(location, "7"))
    assert response.status_code == 403
    location.refresh_from_db()
    assert location.pos_shop_id == ""


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_not_connected_page_offers_connect_and_each_locations_button_url(admin_client, location):
    response = admin_client.get(PAGE)

    page = response.content.decode()
    assert "not connected to Lightspeed yet" in page
    assert f'href="{AUTHORIZE}"' in page
    assert f'href="{AUTHORIZE}?sandbox=1"' in page
    assert location.name in page
    assert f"http://testserver/pos/lightspeed/{location.button_token}/" in page


@pytest.mark.django_db
def test_connected_page_shows_the_account_and_date_but_never_the_tokens(
    admin_client, admin_user, retailer
):
    connect(retailer, actor=admin_user)

    page = admin_client.get(PAGE).content.decode()

    assert "Connected to Lightspeed account 150001" in page
    assert f"by {admin_user.username}" in page
    assert "secret-access-token" not in page
    assert "secret-refresh-token" not in page


@pytest.mark.django_db
def test_another_retailers_admin_never_sees_or_changes_this_connection(
    client, retailer, location, other_retailer
):
    connect(retailer)
    other_admin = factories.UserFactory(retailer=other_retailer, role="admin")
    client.force_login(other_admin)

    page = client.get(PAGE).content.decode()
    response = client.post(PAGE, location_post(location, "9", "https://evil.lightspeedapp.com/"))

    assert "not connected to Lightspeed yet" in page
    assert "150001" not in page
    assert location.button_token not in page and location.name not in page
    assert response.status_code == 302
    location.refresh_from_db()
    assert (location.pos_shop_id, location.pos_return_url) == ("", "")
    assert not AuditEvent.objects.filter(action="lightspeed.location_settings_changed").exists()


# --- saving locations -----------------------------------------------------------------------
@pytest.mark.django_db
def test_saving_a_locations_shop_id_and_return_url_is_audited(admin_client, location):
    url = "https://us.merchantos.com/?name=register"

    response = admin_client.post(PAGE, location_post(location, "1", url), follow=True)

    location.refresh_from_db()
    assert (location.pos_shop_id, location.pos_return_url) == ("1", url)
    assert f"Saved {location.name}." in response.content.decode()
    event = AuditEvent.objects.get(action="lightspeed.location_settings_changed")
    assert event.target_id == str(location.pk)
    assert event.data["after"] == {"pos_shop_id": "1", "pos_return_url": url}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    ["https://lightspeedapp.com@evil.com/", "https://evil-lightspeedapp.com/", "//evil.com"],
)
def test_a_return_url_off_lightspeeds_hosts_is_refused_with_the_allowed_hosts(
    admin_client, location, bad
):
    response = admin_client.post(PAGE, location_post(location, "1", bad))

    assert response.status_code == 200
    assert response.context["rows"][0]["form"].errors["pos_return_url"] == [
        "Use an https:// address on one of these hosts or their subdomains: "
        "lightspeedapp.com, merchantos.com. For example https://us.merchantos.com/?name=register"
    ]
    location.refresh_from_db()
    assert (location.pos_shop_id, location.pos_return_url) == ("", "")


@pytest.mark.django_db
def test_shop_ids_are_numbers_and_not_shared_by_two_locations(admin_client, retailer, location):
    second = factories.LocationFactory(retailer=retailer)

    response = admin_client.post(PAGE, location_post(location, "2") | location_post(second, "2"))
    letters = admin_client.post(PAGE, location_post(location, "A1") | location_post(second, ""))

    assert "Another location already has this shop ID." in response.content.decode()
    assert "A Lightspeed shop ID is a number" in letters.content.decode()
    assert not AuditEvent.objects.exists()


# --- Connect: the redirect to Lightspeed ----------------------------------------------------
@pytest.mark.django_db
def test_connect_sends_the_admin_to_lightspeed_with_a_session_state(admin_client):
    response = admin_client.get(AUTHORIZE)

    target = response["Location"]
    assert target.startswith(f"{settings.LIGHTSPEED_AUTH_BASE}/auth/oauth/authorize?")
    assert "scope=employee:register+employee:customers" in target
    params = query_of(target)
    assert params["response_type"] == "code"
    assert params["client_id"] == settings.LIGHTSPEED_CLIENT_ID
    assert params["state"] in admin_client.session["lightspeed_oauth_states"]


@pytest.mark.django_db
def test_connect_with_sandbox_uses_this_sites_sandbox_only_while_it_is_enabled(admin_client):
    sandbox = admin_client.get(AUTHORIZE, {"sandbox": "1"})["Location"]
    with override_settings(POS_SANDBOX_ENABLED=False):
        real = admin_client.get(AUTHORIZE, {"sandbox": "1"})["Location"]
        page = admin_client.get(PAGE).content.decode()

    assert sandbox.startswith(f"http://testserver{SANDBOX_PREFIX}/auth/oauth/authorize?")
    assert real.startswith(f"{settings.LIGHTSPEED_AUTH_BASE}/auth/oauth/authorize?")
    assert "sandbox=1" not in page


@pytest.mark.django_db
@override_settings(LIGHTSPEED_CLIENT_ID="")
def test_connect_without_a_client_registration_explains_instead_of_redirecting(admin_client):
    response = admin_client.get(AUTHORIZE)
    assert response.status_code == 503
    assert "Lightspeed is not set up on this server" in response.content.decode()


# --- the callback ---------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("state", ["", "forged-state"])
def test_a_callback_with_a_state_this_session_did_not_issue_stores_nothing(admin_client, state):
    admin_client.get(AUTHORIZE)

    response = admin_client.get(CALLBACK, {"code": "any", "state": state})

    assert response.status_code == 400
    assert "was not started here" in response.content.decode()
    assert not LightspeedConnection.objects.exists()


@pytest.mark.django_db
def test_a_state_from_another_admins_session_is_refused(client, admin_client, other_retailer):
    state = query_of(admin_client.get(AUTHORIZE)["Location"])["state"]
    client.force_login(factories.UserFactory(retailer=other_retailer, role="admin"))
    assert client.get(CALLBACK, {"code": "any", "state": state}).status_code == 400


@pytest.mark.django_db
def test_a_denied_authorization_explains_and_stores_nothing(admin_client):
    state = query_of(admin_client.get(AUTHORIZE)["Location"])["state"]

    response = admin_client.get(CALLBACK, {"error": "access_denied", "state": state})

    assert response.status_code == 400
    assert "Access was not granted in Lightspeed" in response.content.decode()
    assert not LightspeedConnection.objects.exists()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_lightspeed_unreachable_shows_a_readable_message_and_stores_nothing(admin_client):
    down = f"http://127.0.0.1:{closed_port()}"
    with override_settings(LIGHTSPEED_AUTH_BASE=down, LIGHTSPEED_API_BASE=down):
        state = query_of(admin_client.get(AUTHORIZE)["Location"])["state"]
        response = admin_client.get(CALLBACK, {"code": "c", "state": state})

    assert response.status_code == 502
    assert "could not be reached to finish connecting" in response.content.decode()
    assert not LightspeedConnection.objects.exists()


class RealLightspeed(BaseHTTPRequestHandler):
    """Real R-Series answers: a standard token answer, the account from Account.json."""

    def _answer(self, status: int, body: dict) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        if self.path != "/auth/oauth/token" or form.get("code") != ["good-code"]:
            self._answer(400, {"error": "invalid_grant"})
            return
        tokens = {"access_token": "ls-access", "refresh_token": "ls-refresh", "expires_in": 1800}
        self._answer(200, tokens | {"token_type": "bearer"})

    def do_GET(self) -> None:  # noqa: N802
        authorized = self.headers["Authorization"] == "Bearer ls-access"
        if self.path != "/API/V3/Account.json" or not authorized:
            self._answer(401, {"message": "Access token could not be verified."})
            return
        account = {"accountID": "98765", "name": "Real Shop"}
        self._answer(200, {"@attributes": {"count": "1"}, "Account": account})

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def real_lightspeed():
    server = ThreadingHTTPServer(("127.0.0.1", 0), RealLightspeed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with override_settings(LIGHTSPEED_AUTH_BASE=base, LIGHTSPEED_API_BASE=base):
        yield base
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_real_lightspeed_account_id_comes_from_account_json(
    admin_client, retailer, real_lightspeed
):
    state = query_of(admin_client.get(AUTHORIZE)["Location"])["state"]

    response = admin_client.get(CALLBACK, {"code": "good-code", "state": state}, follow=True)

    assert "Connected to Lightspeed account 98765." in response.content.decode()
    row = LightspeedConnection.objects.get(retailer=retailer)
    assert (row.account_id, row.api_base, row.auth_base) == (
        "98765",
        real_lightspeed,
        real_lightspeed,
    )
    assert (row.access_token, row.refresh_token) == ("ls-access", "ls-refresh")
    event = AuditEvent.objects.get(action="lightspeed.connected")
    assert "ls-access" not in json.dumps(event.data) and "ls-refresh" not in json.dumps(event.data)


@pytest.mark.django_db
def test_a_refused_code_shows_a_readable_message_and_stores_nothing(admin_client, real_lightspeed):
    state = query_of(admin_client.get(AUTHORIZE)["Location"])["state"]

    response = admin_client.get(CALLBACK, {"code": "expired-code", "state": state})

    assert response.status_code == 400
    assert "did not accept this sign-in" in response.content.decode()
    assert not LightspeedConnection.objects.exists()


@pytest.mark.django_db
def test_a_state_answers_once(admin_client, real_lightspeed):
    state = query_of(admin_client.get(AUTHORIZE)["Location"])["state"]
    admin_client.get(CALLBACK, {"code": "good-code", "state": state})
    assert admin_client.get(CALLBACK, {"code": "good-code", "state": state}).status_code == 400


@pytest.mark.django_db
def test_reconnecting_replaces_the_account_and_tokens(admin_user, retailer):
    first = connect(retailer)
    connect(retailer, account_id="150002", access="new-a", refresh="new-r", actor=admin_user)

    row = LightspeedConnection.objects.get(retailer=retailer)
    assert row.pk == first.pk
    assert (row.account_id, row.access_token, row.refresh_token) == ("150002", "new-a", "new-r")
    assert row.connected_at > first.connected_at and row.connected_by == admin_user
    latest = AuditEvent.objects.filter(action="lightspeed.connected").latest("pk")
    assert latest.data["previous_account_id"] == "150001"


# --- the whole round trip over real HTTP ----------------------------------------------------
def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html)[1]


@pytest.mark.usefixtures("transactional_db")
def test_connect_round_trip_through_the_sandbox(live_server, admin_client, retailer):
    """Connect (sandbox) → consent page → Approve → callback → connected, no token on a page."""
    make_account(
        name="Pawsome Pets Lightspeed",
        client_id=settings.LIGHTSPEED_CLIENT_ID,
        client_secret=settings.LIGHTSPEED_CLIENT_SECRET,
    )
    session = admin_client.cookies[settings.SESSION_COOKIE_NAME].value
    cookies = {settings.SESSION_COOKIE_NAME: session}
    with httpx.Client(base_url=live_server.url, cookies=cookies, timeout=10) as browser:
        page = browser.get(PAGE)
        assert f'href="{AUTHORIZE}?sandbox=1"' in page.text

        consent = browser.get(f"{AUTHORIZE}?sandbox=1", follow_redirects=True)
        assert consent.url.path == f"{SANDBOX_PREFIX}/auth/oauth/authorize"
        assert "Authorize Astro Loyalty to access Pawsome Pets Lightspeed" in consent.text
        form = {
            "csrfmiddlewaretoken": hidden(consent.text, "csrfmiddlewaretoken"),
            "account": hidden(consent.text, "account"),
            "approve": "1",
        }
        done = browser.post(str(consent.url), data=form, follow_redirects=True)

    assert [r.url.path for r in done.history] == [
        f"{SANDBOX_PREFIX}/auth/oauth/authorize",
        CALLBACK,
    ]
    assert done.url.path == PAGE
    assert "Connected to Lightspeed account 150001." in done.text
    row = LightspeedConnection.objects.get(retailer=retailer)
    assert row.account_id == "150001"
    assert row.api_base == f"{live_server.url}{SANDBOX_PREFIX}"
    for token in (row.access_token, row.refresh_token):
        assert token not in done.text
