"""DbTokenStore and client_for: the rotating token pair lives in the connection row."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection as db_connection
from django.utils import timezone

from integrations.base import PosAuthError
from integrations.lightspeed.connection import PosNotConnected, client_for
from integrations.lightspeed.models import LightspeedConnection
from integrations.lightspeed.tokens import DbTokenStore
from simulators.lightspeed.models import SandboxToken
from simulators.lightspeed.tests.factories import (
    SANDBOX_PREFIX,
    make_account,
    make_sale,
    make_token,
)


def _sandbox_account():
    # The sandbox accepts Astro's own client credentials, as Lightspeed would.
    return make_account(
        client_id=settings.LIGHTSPEED_CLIENT_ID, client_secret=settings.LIGHTSPEED_CLIENT_SECRET
    )


def _connect(retailer, base, account, token) -> LightspeedConnection:
    return LightspeedConnection.objects.create(
        retailer=retailer,
        account_id=account.account_id,
        api_base=base,
        auth_base=base,
        access_token=token.access_token,
        refresh_token=token.refresh_token,
    )


@pytest.mark.django_db
def test_store_reads_the_row_fresh_and_saves_the_pair_with_its_expiry(retailer):
    row = LightspeedConnection.objects.create(
        retailer=retailer, account_id="1", api_base="https://a", auth_base="https://a"
    )
    store = DbTokenStore(row.pk)
    LightspeedConnection.objects.filter(pk=row.pk).update(access_token="a1", refresh_token="r1")
    assert store.load() == ("a1", "r1")

    before = timezone.now()
    store.save("a2", "r2", 1800)

    row.refresh_from_db()
    assert (row.access_token, row.refresh_token) == ("a2", "r2")
    assert (
        before + timedelta(seconds=1800)
        <= row.expires_at
        <= timezone.now() + timedelta(seconds=1800)
    )
    assert store.load() == ("a2", "r2")


@pytest.mark.django_db
def test_a_removed_connection_is_an_auth_error_not_a_crash(retailer):
    row = LightspeedConnection.objects.create(
        retailer=retailer, account_id="1", api_base="https://a", auth_base="https://a"
    )
    store = DbTokenStore(row.pk)
    row.delete()
    with pytest.raises(PosAuthError):
        store.load()
    with pytest.raises(PosAuthError), store.refresh_lock():
        pass


@pytest.mark.django_db
def test_client_for_a_store_without_a_connection_says_how_to_connect(retailer):
    with pytest.raises(PosNotConnected) as caught:
        client_for(retailer)
    assert "Settings → Lightspeed" in caught.value.message
    assert isinstance(caught.value, PosAuthError)


@pytest.mark.django_db
def test_client_for_uses_the_connection_and_the_configured_client(retailer):
    account = make_account()
    _connect(retailer, "https://api.example/", account, make_token(account))
    client = client_for(retailer)
    try:
        assert client.account_id == "150001"
        assert client.api_base == "https://api.example"
        assert client.client_id == settings.LIGHTSPEED_CLIENT_ID
        assert isinstance(client.tokens, DbTokenStore)
    finally:
        client.close()


@pytest.mark.usefixtures("transactional_db")
def test_an_expired_token_is_refreshed_and_the_new_pair_is_stored(live_server, retailer):
    base = f"{live_server.url}{SANDBOX_PREFIX}"
    account = _sandbox_account()
    old = make_token(account, expired=True)
    row = _connect(retailer, base, account, old)
    sale = make_sale(account, [(None, 1, "1.00", None)])

    client = client_for(retailer)
    try:
        payload = client.get_sale(str(sale.pk))
    finally:
        client.close()

    assert payload["Sale"]["saleID"] == str(sale.pk)
    row.refresh_from_db()
    new = SandboxToken.objects.get(account=account, revoked=False)
    assert (row.access_token, row.refresh_token) == (new.access_token, new.refresh_token)
    assert row.expires_at > timezone.now() + timedelta(minutes=59)
    assert SandboxToken.objects.get(pk=old.pk).revoked


class RivalFirstStore(DbTokenStore):
    """Another worker refreshes between our 401 and our taking the lock (a lost race)."""

    rival = None
    sale_id = ""

    @contextmanager
    def refresh_lock(self):
        rival, self.rival = self.rival, None
        if rival is not None:
            rival.get_sale(self.sale_id)
        with super().refresh_lock():
            yield


@pytest.mark.usefixtures("transactional_db")
def test_two_clients_on_one_row_refresh_once(live_server, retailer):
    """The loser re-reads the row inside the lock and uses the winner's pair."""
    base = f"{live_server.url}{SANDBOX_PREFIX}"
    account = _sandbox_account()
    row = _connect(retailer, base, account, make_token(account, expired=True))
    sale = make_sale(account, [(None, 1, "1.00", None)])
    loser, winner = client_for(retailer), client_for(retailer)
    loser.tokens = RivalFirstStore(row.pk)
    loser.tokens.rival, loser.tokens.sale_id = winner, str(sale.pk)
    try:
        payload = loser.get_sale(str(sale.pk))
    finally:
        loser.close()
        winner.close()

    assert payload["Sale"]["saleID"] == str(sale.pk)
    # One refresh in all; spending the rotated refresh token again would be invalid_grant.
    assert SandboxToken.objects.filter(account=account).count() == 2


THREADS = 4


@pytest.mark.postgres
@pytest.mark.skipif(
    db_connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs this)"
)
@pytest.mark.usefixtures("transactional_db")
def test_simultaneous_refreshes_from_many_workers_spend_the_refresh_token_once(
    live_server, retailer
):
    """Workers released together by a barrier: the row lock makes all but one wait and re-read."""
    base = f"{live_server.url}{SANDBOX_PREFIX}"
    account = _sandbox_account()
    row = _connect(retailer, base, account, make_token(account, expired=True))
    sale = make_sale(account, [(None, 1, "1.00", None)])
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def work(i: int) -> None:
        client = client_for(retailer)
        try:
            barrier.wait(timeout=10)
            results[i] = client.get_sale(str(sale.pk))["Sale"]["saleID"]
        except Exception as exc:  # noqa: BLE001 - the test inspects what each worker got
            results[i] = exc
        finally:
            client.close()
            db_connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results == [str(sale.pk)] * THREADS
    assert SandboxToken.objects.filter(account=account).count() == 2
    row.refresh_from_db()
    live = SandboxToken.objects.get(account=account, revoked=False)
    assert row.refresh_token == live.refresh_token
