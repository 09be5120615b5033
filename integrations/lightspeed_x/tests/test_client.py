"""XSeriesClient against the sandbox over real HTTP: sales, rotating tokens, the request window,
version-cursor pages, timeouts, and answers it cannot read."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from integrations.base import (
    PosAuthError,
    PosBadResponse,
    PosNotFound,
    PosRateLimited,
    PosUnavailable,
)
from integrations.lightspeed_x.client import XSeriesClient, retry_after
from integrations.oauth_tokens import InMemoryTokenStore
from simulators.lightspeed_x.models import SandboxOutlet, SandboxToken
from simulators.lightspeed_x.tests.factories import (
    SANDBOX_PREFIX,
    make_product,
    make_sale,
    make_store,
    make_token,
)

pytestmark = pytest.mark.usefixtures("transactional_db")
VERSION = "2026-04"


@pytest.fixture
def store():
    return make_store("pawsome")


@pytest.fixture
def base(live_server, store) -> str:
    return f"{live_server.url}{SANDBOX_PREFIX}/{store.domain_prefix}"


def client_for(base, store, tokens) -> XSeriesClient:
    return XSeriesClient(
        api_base=base,
        api_version=VERSION,
        tokens=tokens,
        client_id=store.client_id,
        client_secret=store.client_secret,
    )


@pytest.fixture
def tokens(store) -> InMemoryTokenStore:
    token = make_token(store)
    return InMemoryTokenStore(token.access_token, token.refresh_token)


@pytest.fixture
def client(base, store, tokens):
    client = client_for(base, store, tokens)
    yield client
    client.close()


def test_a_saved_sale_comes_back_with_json_numbers(client, store):
    food = make_product(store, price="54.99")
    sale = make_sale(store, [(food, 2)])
    data = client.get_sale(str(sale.sale_id))
    assert data["id"] == str(sale.sale_id)
    assert data["line_items"][0]["quantity"] == 2
    assert data["line_items"][0]["pricing"]["price"] == 54.99


def test_a_sale_only_in_the_register_is_not_found(client, store):
    sale = make_sale(store, [(make_product(store), 1)], saved=False)
    with pytest.raises(PosNotFound):
        client.get_sale(str(sale.sale_id))


def test_an_id_that_is_not_a_uuid_never_reaches_the_url(client):
    with pytest.raises(PosNotFound):
        client.get_sale("../../outlets")


def test_an_expired_token_is_refreshed_once_and_the_rotated_pair_kept(base, client, store, tokens):
    SandboxToken.objects.update(expires_at="2000-01-01T00:00:00Z")
    old_access, old_refresh = tokens.load()
    sale = make_sale(store, [(make_product(store), 1)])

    client.get_sale(str(sale.sale_id))

    assert tokens.saves == 1 and tokens.expires_in == 604800
    assert tokens.access != old_access and tokens.refresh != old_refresh
    # X-Series revoked the old refresh token when it issued the new one (changelog 2025-03).
    form = {
        "grant_type": "refresh_token",
        "refresh_token": old_refresh,
        "client_id": store.client_id,
        "client_secret": store.client_secret,
    }
    assert httpx.post(f"{base}/api/1.0/token", data=form).status_code == 400


class RivalFirst(InMemoryTokenStore):
    """Lets a rival worker refresh just before this one takes the lock (a lost race)."""

    rival: XSeriesClient | None = None
    sale_id = ""

    @contextmanager
    def refresh_lock(self):
        rival, self.rival = self.rival, None
        if rival is not None:
            rival.get_sale(self.sale_id)  # refreshes under the same lock, then returns
        with super().refresh_lock():
            yield


def test_the_worker_that_lost_the_refresh_race_uses_the_winners_token(base, store):
    token = make_token(store, expired=True)
    sale = make_sale(store, [(make_product(store), 1)])
    tokens = RivalFirst(token.access_token, token.refresh_token)
    tokens.sale_id = str(sale.sale_id)
    loser, winner = client_for(base, store, tokens), client_for(base, store, tokens)
    tokens.rival = winner

    assert loser.get_sale(str(sale.sale_id))["id"] == str(sale.sale_id)
    # One refresh in all: a second would have spent the revoked token (invalid_grant).
    assert tokens.saves == 1 and SandboxToken.objects.filter(store=store).count() == 2


def test_a_revoked_refresh_token_means_reconnect(client, store):
    SandboxToken.objects.update(expires_at="2000-01-01T00:00:00Z", revoked=True)
    with pytest.raises(PosAuthError):
        client.get_sale(str(make_sale(store, [(make_product(store), 1)]).sale_id))


def test_a_refused_personal_token_is_not_refreshed(base, store):
    tokens = InMemoryTokenStore("not-the-token")
    with pytest.raises(PosAuthError):
        client_for(base, store, tokens).get_sale(str(make_sale(store).sale_id))
    assert tokens.saves == 0


def test_the_personal_token_reads_the_store(base, store):
    sale = make_sale(store, [(make_product(store), 1)])
    client = client_for(base, store, InMemoryTokenStore(store.personal_token))
    assert client.get_sale(str(sale.sale_id))["id"] == str(sale.sale_id)


def test_past_the_request_window_the_client_says_when_to_come_back(client, store):
    store.rate_limit = 2
    store.save()
    sale = make_sale(store, [(make_product(store), 1)])
    client.get_sale(str(sale.sale_id))
    assert client.rate_limit_remaining == 1
    client.get_sale(str(sale.sale_id))
    with pytest.raises(PosRateLimited) as caught:
        client.get_sale(str(sale.sale_id))
    # Retry-After is the HTTP date the 5-minute window opens again (docs/rate_limiting).
    assert 200 < caught.value.retry_after <= 300


def test_outlets_are_read_page_by_page_along_the_version_cursor(client, store):
    for number in range(2, 8):
        SandboxOutlet.objects.create(store=store, name=f"Outlet {number}")
    names = [outlet["name"] for outlet in client.list_outlets(page_size=2)]
    assert names == [f"Outlet {number}" for number in range(1, 8)]


def test_sales_after_a_version_are_only_the_later_changes(client, store):
    first = make_sale(store, [(make_product(store), 1)])
    later = make_sale(store, [(make_product(store), 1)])
    found = [sale["id"] for sale in client.sales_after(first.version, page_size=1)]
    assert found == [str(later.sale_id)]


def test_a_refused_connection_is_unavailable_at_once(store, tokens):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = client_for(f"http://127.0.0.1:{port}", store, tokens)
    started = time.monotonic()
    with pytest.raises(PosUnavailable):
        down.get_sale("5194354d-9080-8dda-11e6-9660dfac7dce")
    assert time.monotonic() - started < 3


def test_a_server_that_never_answers_times_out_as_unavailable(store, tokens, monkeypatch):
    monkeypatch.setattr("integrations.lightspeed_x.client.TIMEOUT", httpx.Timeout(0.5, connect=0.5))
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        hanging = client_for(f"http://127.0.0.1:{silent.getsockname()[1]}", store, tokens)
        started = time.monotonic()
        with pytest.raises(PosUnavailable):
            hanging.get_sale("5194354d-9080-8dda-11e6-9660dfac7dce")
        assert 0.4 < time.monotonic() - started < 3
        hanging.close()


@contextmanager
def canned(status: int, body: bytes, headers: dict[str, str] | None = None):
    """A real HTTP server that answers every GET with the same status and body."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            self.send_response(status)
            for name, value in (headers or {"Content-Type": "application/json"}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b"<html>Maintenance</html>", PosBadResponse),
        (200, b"[]", PosBadResponse),
        (200, b'{"data": ["not", "a", "sale"]}', PosBadResponse),
        (503, b"{}", PosUnavailable),
        (418, b"{}", PosBadResponse),
    ],
)
def test_answers_astro_cannot_read_become_clear_errors(store, tokens, status, body, error):
    with canned(status, body) as url:
        with pytest.raises(error):
            client_for(url, store, tokens).get_sale("5194354d-9080-8dda-11e6-9660dfac7dce")


def test_a_page_cursor_that_does_not_move_ends_the_listing(store, tokens):
    page = b'{"data": [{"id": "a", "name": "Only"}], "version": {"min": 5, "max": 5}}'
    with canned(200, page) as url:
        outlets = client_for(url, store, tokens).list_outlets()
    assert [outlet["name"] for outlet in outlets] == ["Only"]


def test_retry_after_reads_an_http_date_or_seconds_and_never_waits_an_hour():
    now = datetime(2026, 6, 2, 20, 0, 0, tzinfo=UTC)
    assert retry_after("Tue, 02 Jun 2026 20:01:30 GMT", now=now) == 90
    assert retry_after("30", now=now) == 30
    assert retry_after("Tue, 02 Jun 2026 19:00:00 GMT", now=now) == 0
    assert retry_after("soon", now=now) == 1
    assert retry_after("99999", now=now) == 3600
    assert retry_after(None, now=now) == 1
