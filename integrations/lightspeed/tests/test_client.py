"""LightspeedClient against the sandbox over real HTTP: sales, token rotation, errors."""

from __future__ import annotations

import socket
import time
from contextlib import contextmanager
from decimal import Decimal

import httpx
import pytest

from integrations.base import PosAuthError, PosNotFound, PosRateLimited, PosUnavailable
from integrations.lightspeed.adapter import customer_from_json, sale_from_json
from integrations.lightspeed.client import InMemoryTokenStore, LightspeedClient
from simulators.lightspeed.models import SandboxToken
from simulators.lightspeed.tests.factories import (
    SANDBOX_PREFIX,
    make_account,
    make_customer,
    make_item,
    make_sale,
    make_token,
)

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def base(live_server) -> str:
    return f"{live_server.url}{SANDBOX_PREFIX}"


@pytest.fixture
def account():
    return make_account()


def client_for(base, account, store) -> LightspeedClient:
    return LightspeedClient(
        api_base=base,
        account_id=account.account_id,
        tokens=store,
        client_id=account.client_id,
        client_secret=account.client_secret,
        auth_base=base,
    )


@pytest.fixture
def store(account) -> InMemoryTokenStore:
    token = make_token(account)
    return InMemoryTokenStore(token.access_token, token.refresh_token)


@pytest.fixture
def client(base, account, store):
    client = client_for(base, account, store)
    yield client
    client.close()


def test_fetched_sale_becomes_a_pos_sale_with_lines_and_customer(client, account):
    customer = make_customer(account, phone="555-0100")
    food = make_item(account, "Happy Cat Beef 12lb", "24.99", upc="012345678905")
    sale = make_sale(
        account, [(food, 2, "24.99", None), (None, 1, "3.50", None)], customer=customer
    )

    pos_sale = sale_from_json(client.get_sale(str(sale.pk)), account_id=account.account_id)

    assert pos_sale.sale_id == str(sale.pk)
    assert [(line.codes, line.quantity, line.unit_price) for line in pos_sale.lines] == [
        (("012345678905", f"2100{food.pk:08d}"), 2, Decimal("24.99")),
        ((), 1, Decimal("3.50")),
    ]
    assert pos_sale.customer.email == "sally@example.com"
    assert pos_sale.customer.phone == "555-0100"
    assert pos_sale.subtotal == Decimal("53.48") and pos_sale.completed


def test_one_line_sale_arrives_as_an_object_and_parses(client, account):
    item = make_item(account, "Chew toy", "5.00")
    sale = make_sale(account, [(item, 1, "5.00", None)])

    payload = client.get_sale(str(sale.pk))

    assert isinstance(payload["Sale"]["SaleLines"]["SaleLine"], dict)
    pos_sale = sale_from_json(payload, account_id=account.account_id)
    assert len(pos_sale.lines) == 1 and pos_sale.customer is None


def test_refund_sale_has_negative_lines(client, account):
    item = make_item(account, "Kibble", "42.96")
    parent = make_sale(account, [(item, 2, "42.96", None)]).lines.get()
    refund = make_sale(account, [(item, -1, "42.96", parent)])

    pos_sale = sale_from_json(client.get_sale(str(refund.pk)), account_id=account.account_id)

    assert pos_sale.is_refund and pos_sale.subtotal == Decimal("-42.96")
    assert pos_sale.lines[0].quantity == -1
    assert pos_sale.lines[0].parent_line_id == str(parent.pk)


def test_get_customer_returns_the_contact(client, account):
    customer = make_customer(account, phone="555-0199")
    pos_customer = customer_from_json(client.get_customer(str(customer.pk))["Customer"])
    assert (pos_customer.first_name, pos_customer.phone) == ("Sally", "555-0199")


def test_expired_token_is_refreshed_once_and_rotated_pair_stored(base, client, account, store):
    SandboxToken.objects.update(expires_at="2000-01-01T00:00:00Z")
    old_access, old_refresh = store.load()
    sale = make_sale(account, [(None, 1, "1.00", None)])

    client.get_sale(str(sale.pk))

    assert store.saves == 1 and store.expires_in == 3600
    assert store.access != old_access and store.refresh != old_refresh
    assert SandboxToken.objects.filter(account=account).count() == 2
    refused = httpx.post(
        f"{base}/auth/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": old_refresh,
            "client_id": account.client_id,
            "client_secret": account.client_secret,
        },
    )
    assert refused.status_code == 400


class RivalFirstStore(InMemoryTokenStore):
    """Lets a rival worker refresh just before this worker gets the lock (a lost race)."""

    rival: LightspeedClient | None = None

    @contextmanager
    def refresh_lock(self):
        rival, self.rival = self.rival, None
        if rival is not None:
            rival.get_sale(self.sale_id)  # refreshes under the same lock, then returns
        with super().refresh_lock():
            yield


def test_worker_that_lost_the_refresh_race_uses_the_winners_tokens(base, account):
    """Re-reading inside the lock means nobody spends the already-rotated refresh token."""
    token = make_token(account, expired=True)
    sale = make_sale(account, [(None, 1, "1.00", None)])
    store = RivalFirstStore(token.access_token, token.refresh_token)
    store.sale_id = str(sale.pk)
    loser, winner = client_for(base, account, store), client_for(base, account, store)
    store.rival = winner

    payload = loser.get_sale(str(sale.pk))

    assert payload["Sale"]["saleID"] == str(sale.pk)
    # One refresh in all: the loser re-read the winner's pair instead of refreshing again,
    # which would have failed with invalid_grant (PosAuthError).
    assert store.saves == 1
    assert SandboxToken.objects.filter(account=account).count() == 2


def test_revoked_refresh_token_raises_pos_auth_error(client, account):
    SandboxToken.objects.update(expires_at="2000-01-01T00:00:00Z", revoked=True)
    sale = make_sale(account, [(None, 1, "1.00", None)])
    with pytest.raises(PosAuthError):
        client.get_sale(str(sale.pk))


def test_full_bucket_raises_rate_limited_with_retry_after(client, account):
    sale = make_sale(account, [(None, 1, "1.00", None)])
    account.bucket_capacity = 1
    account.drip_rate = 0.5
    account.bucket_level = 5
    account.save()

    with pytest.raises(PosRateLimited) as caught:
        client.get_sale(str(sale.pk))

    assert caught.value.retry_after >= 8


def test_unknown_sale_raises_not_found(client):
    with pytest.raises(PosNotFound):
        client.get_sale("999999")


def test_server_down_raises_unavailable_quickly(account, store):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port now: the connection is refused at once.
    down = client_for(f"http://127.0.0.1:{port}", account, store)
    started = time.monotonic()
    with pytest.raises(PosUnavailable):
        down.get_sale("1")
    assert time.monotonic() - started < 3


def test_a_server_that_never_answers_times_out_as_unavailable(account, store, monkeypatch):
    """A POS that accepts the connection and then hangs must not hang the cashier's screen."""
    monkeypatch.setattr("integrations.lightspeed.client.TIMEOUT", httpx.Timeout(0.5, connect=0.5))
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        hanging = client_for(f"http://127.0.0.1:{silent.getsockname()[1]}", account, store)
        started = time.monotonic()
        with pytest.raises(PosUnavailable):
            hanging.get_sale("1")
        assert 0.4 < time.monotonic() - started < 3
        hanging.close()
