"""The adapter contracts: each real adapter fits its protocol, and the in-memory twins chosen by
setting drive the same views and services with no network (DESIGN.md: contracts by settings)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from integrations import memory
from integrations.base import (
    DeliveryError,
    IntegrationError,
    PosCustomer,
    PosLine,
    PosNotFound,
    PosSale,
    PosSaleSource,
)
from integrations.lightspeed.adapter import LightspeedSaleSource
from integrations.lightspeed.pos import LightspeedPos
from loyalty.contracts.pos import RedirectPos
from loyalty.contracts.registry import open_sale_source, pos_system_choices, redirect_pos_for
from loyalty.models import DistributorReport, Enrollment, Visit
from loyalty.models.programs import DeliveryMethod
from loyalty.services.cards import add_purchases
from loyalty.services.distributor_reports.sending import send_report
from loyalty.services.owners import link_pos_customer
from loyalty.services.redemptions import redeem_card
from loyalty.tests import factories


@pytest.fixture
def twins(settings):
    settings.POS_SALE_SOURCES = {"lightspeed": "integrations.memory.InMemorySaleSource"}
    settings.DISTRIBUTOR_DELIVERY = "integrations.memory.deliver"
    memory.reset()
    yield memory
    memory.reset()


def kibble_sale(sale_id="1042", customer_id="77", quantity=2):
    line = PosLine("1", ("036000291452",), "Kibble 25 lb", quantity, Decimal("54.99"))
    bag_fee = PosLine("2", (), "Bag fee", 1, Decimal("0.10"), is_misc=True, is_fee=True)
    return PosSale(
        sale_id=sale_id,
        customer=PosCustomer(pos_customer_id=customer_id, last_name="Lopez"),
        lines=(line, bag_fee),
        subtotal=Decimal("109.98"),
        total=Decimal("118.23"),
        shop_id="1",
    )


def test_the_real_adapters_fit_their_protocols():
    assert issubclass(LightspeedSaleSource, PosSaleSource)
    assert isinstance(LightspeedPos(), RedirectPos)
    assert isinstance(memory.InMemorySaleSource(retailer=None), PosSaleSource)
    assert issubclass(DeliveryError, IntegrationError) and issubclass(PosNotFound, IntegrationError)


def test_the_button_records_the_sale_fetched_through_the_chosen_source(
    twins, cashier_client, location, retailer
):
    """Gate, fetch through the contract, one service call: the view knows no HTTP client."""
    food = factories.ItemFactory(gtin="036000291452", description="Kibble 25 lb")
    factories.enrolled_card(retailer, required=12, items=[food])
    owner = factories.PetOwnerFactory(retailer=retailer)
    link_pos_customer(owner=owner, pos_system="lightspeed", pos_customer_id="77", actor=None)
    twins.sales["1042"] = kibble_sale()
    url = reverse("lightspeed_button", args=[location.button_token])
    response = cashier_client.get(url, {"saleID": "1042"})
    visit = Visit.objects.get()
    assert response["Location"] == reverse("checkout", args=[visit.pk])
    # The bag fee is not merchandise; the kibble punched twice; points on the subtotal.
    assert [line.description for line in visit.lines.all()] == ["Kibble 25 lb"]
    assert owner.cards.get().purchases.count() == 2
    assert sum(owner.points_entries.values_list("points", flat=True)) == 109


def test_a_sale_the_pos_does_not_have_is_a_clear_404_that_changes_nothing(
    twins, cashier_client, location
):
    url = reverse("lightspeed_button", args=[location.button_token])
    response = cashier_client.get(url, {"saleID": "999"})
    assert response.status_code == 404
    assert "does not know this sale" in response.content.decode()
    assert not Visit.objects.exists()


def test_the_source_is_closed_after_use(twins, retailer):
    with open_sale_source("lightspeed", retailer=retailer) as source:
        pass
    assert source.closed


def pending_report(retailer) -> DistributorReport:
    """A real owner's redemption of a manufacturer card: its outbox row, not sent yet."""
    program_card = factories.enrolled_card(retailer, required=1)
    Enrollment.objects.filter(retailer=retailer).update(
        distributor=factories.DistributorFactory(
            delivery_method=DeliveryMethod.HTTPS, endpoint_url="https://distributor.example/in"
        )
    )
    owner = factories.PetOwnerFactory(retailer=retailer)
    add_purchases(owner=owner, program_card=program_card, quantity=1)
    item = program_card.redeemable_items.get()
    redeem_card(card=owner.cards.get(), item_id=item.pk)
    return DistributorReport.objects.get()


def test_a_report_goes_out_through_the_chosen_delivery(twins, retailer):
    report = pending_report(retailer)
    assert send_report(str(report.pk)) == "sent"
    [delivered] = twins.deliveries
    assert delivered["key"] == str(report.pk) and delivered["payload"]["report_id"] == str(
        report.pk
    )


def test_a_failing_delivery_keeps_the_report_pending_with_the_error(twins, retailer):
    report = pending_report(retailer)
    twins.delivery_failure = DeliveryError("HTTP 503: down", permanent=False)
    assert send_report(str(report.pk)) == "pending"
    report = DistributorReport.objects.get(pk=report.pk)
    assert report.attempts == 1 and report.last_error == "HTTP 503: down"


def test_pos_systems_come_from_settings_so_a_new_one_needs_no_migration(settings, db):
    settings.POS_SYSTEMS = {
        **settings.POS_SYSTEMS,
        "heartland": {"label": "Heartland Retail", "integration": "redirect", "backend": "x.Y"},
    }
    assert ("heartland", "Heartland Retail") in pos_system_choices()
    retailer = factories.RetailerFactory(pos_integration="pinogy")
    # A store on a full integration still gets the default redirect POS's Locations screen.
    assert isinstance(redirect_pos_for(retailer), LightspeedPos)
