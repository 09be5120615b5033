"""A retailer connected to Heartland Retail: to the sandbox over the live server, or (for fast
view tests) to https://pawsome.retail.heartland.us with the in-memory sale source."""

import pytest

from integrations import memory
from integrations.heartland.models import HeartlandConnection
from simulators.heartland.tests.factories import API_PREFIX, make_account

STORE_SITE = "https://pawsome.retail.heartland.us"


@pytest.fixture
def connected(retailer):
    """The store on Heartland (pos_integration set), reading sales from the in-memory twin."""
    retailer.pos_integration = "heartland"
    retailer.save()
    return HeartlandConnection.objects.create(
        retailer=retailer,
        subdomain="pawsome",
        api_base=f"{STORE_SITE}/api",
        token="tok-in-memory",
        token_hint="mory",
    )


@pytest.fixture
def twins(settings, connected):
    settings.POS_SALE_SOURCES = {"heartland": "integrations.memory.InMemorySaleSource"}
    memory.reset()
    yield memory
    memory.reset()


@pytest.fixture
def sandbox_account(live_server, retailer):
    """A sandbox account the retailer is connected to, over real HTTP."""
    account = make_account()
    retailer.pos_integration = "heartland"
    retailer.save()
    HeartlandConnection.objects.create(
        retailer=retailer,
        subdomain=account.subdomain,
        api_base=f"{live_server.url}{API_PREFIX}",
        token=account.api_token,
        token_hint=account.api_token[-4:],
    )
    return account
