"""Only a store's own X-Series register may show Astro in its payment iframe."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import reverse

from integrations.lightspeed_x.framing import allow_framing
from integrations.lightspeed_x.models import XSeriesConnection
from loyalty.tests import factories

pytestmark = pytest.mark.django_db
REGISTER = "https://pawsome.retail.lightspeed.app"
FRAMED = {"HTTP_SEC_FETCH_DEST": "iframe"}


@pytest.fixture
def x_series(retailer):
    retailer.pos_integration = "lightspeed_x"
    retailer.save()
    return XSeriesConnection.objects.create(
        retailer=retailer,
        domain_prefix="pawsome",
        api_base=REGISTER,
        register_origin=REGISTER,
        access_token="a",
    )


def directives(response) -> dict[str, str]:
    """The CSP header's directives by name."""
    parts = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, value in parts}


def test_the_stores_register_may_frame_its_cashiers_pages(cashier_client, location, x_series):
    response = cashier_client.get(reverse("owner_search"), **FRAMED)
    assert "X-Frame-Options" not in response
    assert directives(response)["frame-ancestors"] == f"'self' {REGISTER}"
    assert directives(response)["script-src"] == "'self'"  # the site's strict policy stays


def test_a_page_not_loaded_in_a_frame_keeps_deny(cashier_client, x_series):
    response = cashier_client.get(reverse("owner_search"))
    assert response["X-Frame-Options"] == "DENY"


def test_another_stores_user_keeps_deny_in_a_frame(client, other_retailer, x_series):
    client.force_login(factories.UserFactory(retailer=other_retailer, role="cashier"))
    response = client.get(reverse("owner_search"), **FRAMED)
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == "'none'"


def test_before_login_only_lightspeeds_register_hosts_may_frame(client):
    response = client.get(reverse("login"), **FRAMED)
    assert "X-Frame-Options" not in response
    assert directives(response)["frame-ancestors"] == "'self' https://*.retail.lightspeed.app"


def test_a_csp_set_elsewhere_keeps_its_other_directives():
    response = HttpResponse()
    response["X-Frame-Options"] = "DENY"
    response["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
    allow_framing(response, ["'self'", REGISTER])
    assert response["Content-Security-Policy"] == (
        f"default-src 'self'; frame-ancestors 'self' {REGISTER}"
    )
