"""X-Series on the POS contract: its adapters fit the protocols, settings name them, and the
payment page records through whatever sale source settings choose (the in-memory twin here)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from integrations import memory
from integrations.base import PosCustomer, PosLine, PosSale, PosSaleSource, RedirectPos
from integrations.lightspeed_x.adapter import XSeriesSaleSource
from integrations.lightspeed_x.pos import XSeriesPos
from loyalty.contracts.registry import pos_system_choices, redirect_pos_for
from loyalty.models import Visit
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories

SALE_ID = "5194354d-9080-8dda-11e6-9660dfac7dce"
CUSTOMER_ID = "0800278f-358c-11e6-fcf3-9005a1e4b2b9"


def test_the_adapters_fit_their_protocols_and_settings_name_them(db):
    assert issubclass(XSeriesSaleSource, PosSaleSource)
    assert isinstance(XSeriesPos(), RedirectPos)
    assert ("lightspeed_x", "Lightspeed X-Series (payment page)") in pos_system_choices()


def test_an_x_series_stores_locations_show_the_gateway_url_and_need_no_return_url(db, location):
    location.retailer.pos_integration = "lightspeed_x"
    pos = redirect_pos_for(location.retailer)
    assert pos.button_path(location) == f"/pos/lightspeed-x/{location.button_token}/pay/"
    assert "Leave this blank" in pos.return_url_problem(
        "https://x.example", retailer=location.retailer
    )


@pytest.fixture
def twin(settings):
    settings.POS_SALE_SOURCES = {"lightspeed_x": "integrations.memory.InMemorySaleSource"}
    memory.reset()
    yield memory
    memory.reset()


def test_the_payment_page_records_through_the_chosen_source(
    twin, cashier_client, location, retailer
):
    retailer.pos_integration = "lightspeed_x"
    retailer.save()
    line = PosLine("line-1", ("036000291452",), "Kibble 25 lb", 1, Decimal("54.99"))
    twin.sales[SALE_ID] = PosSale(
        sale_id=SALE_ID,
        customer=PosCustomer(pos_customer_id=CUSTOMER_ID),
        lines=(line,),
        subtotal=Decimal("54.99"),
        total=Decimal("59.39"),
    )
    owner = factories.PetOwnerFactory(retailer=retailer)
    link_pos_customer(
        owner=owner, pos_system="lightspeed_x", pos_customer_id=CUSTOMER_ID, actor=None
    )
    response = cashier_client.get(
        reverse("lightspeed_x_sale", args=[location.button_token, SALE_ID])
    )
    visit = Visit.objects.get(pos_sale_id=SALE_ID)
    assert response["Location"] == f"/visits/{visit.pk}/" and visit.owner == owner
