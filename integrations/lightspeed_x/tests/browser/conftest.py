"""The X-Series browser tests: chromium at 1024×768 (the R-Series fixtures), and the sandbox
store's Payments API register pointed at this live server's Astro."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from integrations.lightspeed.tests.browser.conftest import (  # noqa: F401 - fixtures
    log_in,
    page,
    screenshot,
)
from loyalty.tests import factories

from ..conftest import FOOD_UPC


def pytest_collection_modifyitems(items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def register(live_server, location, store, connected):
    """The sandbox store's Astro Loyalty payment type and webhook point at this Astro."""
    store.gateway_url = live_server.url + reverse(
        "lightspeed_x_gateway", args=[location.button_token]
    )
    store.webhook_url = live_server.url + reverse(
        "lightspeed_x_webhook", args=[connected.webhook_key]
    )
    store.save()
    food = factories.ItemFactory(gtin=FOOD_UPC, description="Kibble 25 lb")
    factories.enrolled_card(location.retailer, required=3, items=[food])
    return store
