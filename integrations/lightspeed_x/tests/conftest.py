"""A retailer connected to a sandbox X-Series store served by the live server, and its data."""

from __future__ import annotations

import pytest

from astro_site.celery import app
from integrations.lightspeed_x.models import XSeriesConnection
from simulators.lightspeed_x.tests.factories import (
    SANDBOX_PREFIX,
    make_customer,
    make_product,
    make_store,
    make_token,
)

FOOD_UPC = "036000291452"


@pytest.fixture
def store(live_server):
    return make_store("pawsome")


@pytest.fixture
def connected(live_server, retailer, store):
    """The retailer on X-Series, connected to the sandbox store over real HTTP."""
    token = make_token(store)
    retailer.pos_integration = "lightspeed_x"
    retailer.save(update_fields=["pos_integration"])
    return XSeriesConnection.objects.create(
        retailer=retailer,
        domain_prefix=store.domain_prefix,
        api_base=f"{live_server.url}{SANDBOX_PREFIX}/{store.domain_prefix}",
        register_origin=live_server.url,
        access_token=token.access_token,
        refresh_token=token.refresh_token,
    )


@pytest.fixture
def customer(store):
    return make_customer(store)


@pytest.fixture
def food(store):
    return make_product(store, "Kibble 25 lb", "54.99", upc=FOOD_UPC, sku="KIB-25")


@pytest.fixture
def in_process_tasks():
    """Tasks run in this process at commit, as they do with no broker (the demo's mode), even
    when REDIS_URL points the suite at a real broker with no worker listening."""
    always_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = always_eager
