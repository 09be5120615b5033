"""Offers applied to API sales are reported to the distributor (SPEC §2, §5, §6)."""

import csv
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integrations.api_v1.credentials import issue_key
from integrations.api_v1.tests.conftest import ApiCaller
from integrations.api_v1.tests.test_sales import sale
from loyalty.models import Distributor, DistributorReport, Offer, OfferRedemption
from loyalty.services.distributor_reports.outbox import release_held_offer_reports, report_payload
from loyalty.services.owners import ensure_test_owner, link_pos_customer
from loyalty.tests import factories
from loyalty.tests.test_report_screen import make_report
from loyalty.tests.test_reports import in_process_tasks  # noqa: F401 - a fixture

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def api(retailer, location):
    retailer.pos_integration = "pinogy"
    retailer.save()
    return ApiCaller(Client(), issue_key(location=location, actor=None).key)


@pytest.fixture
def owner(retailer):
    owner = factories.PetOwnerFactory(retailer=retailer, first_name="Ann", last_name="Lee")
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    return owner


@pytest.fixture
def item():
    return factories.ItemFactory(description="Acana Puppy 25 lb", size="25 lb")


@pytest.fixture
def offer(retailer, item):
    """A BOGO offer from Acana's manufacturer, which the store runs."""
    offer = Offer.objects.create(
        name="Acana BOGO",
        kind="bogo",
        manufacturer=factories.ManufacturerFactory(name="Champion"),
        starts_at=timezone.now() - timedelta(days=10),
    )
    offer.qualifying_items.add(item)
    offer.retailers.add(retailer)
    return offer


def enroll(retailer, offer, **fields):
    """An enrollment in one of the offer's manufacturer's programs."""
    program = factories.ProgramFactory(manufacturer=offer.manufacturer)
    return factories.EnrollmentFactory(retailer=retailer, program=program, **fields)


def email_distributor():
    return factories.DistributorFactory(delivery_method="email", email="claims@dist.example")


@pytest.mark.usefixtures("in_process_tasks")
def test_an_applied_offer_is_reported_to_the_locations_distributor_and_sent(
    api,
    retailer,
    location,
    owner,
    item,
    offer,
    django_capture_on_commit_callbacks,
):
    enroll(retailer, offer)  # the whole store's, through a held distributor
    mine = enroll(retailer, offer, location=location, distributor=email_distributor())
    with django_capture_on_commit_callbacks(execute=True):
        body = api.post("/api/v1/sales/", sale(item, quantity=2, price="20.00")).json()
    [applied] = body["offers_applied"]
    report = DistributorReport.objects.get()
    assert report.kind == "offer_redemption" and report.offer_redemption.offer == offer
    assert (report.distributor, report.account_number) == (mine.distributor, mine.account_number)
    assert report.state == "sent"
    [message] = mail.outbox
    assert message.to == ["claims@dist.example"]
    assert applied["reward_id"] in message.attachments[0][1]


def test_without_an_enrollment_for_the_manufacturer_it_waits_at_temporary_holding(
    api, retailer, owner, item, offer
):
    enroll(factories.RetailerFactory(), offer)  # another store's enrollment does not count
    api.post("/api/v1/sales/", sale(item, quantity=2))
    report = DistributorReport.objects.get()
    assert report.distributor == Distributor.objects.get(is_temporary_holding=True)
    assert report.account_number == "" and report.state == "pending"


def test_enrolling_with_the_manufacturer_later_releases_the_held_offer_report(
    api, retailer, location, owner, item, offer
):
    api.post("/api/v1/sales/", sale(item, quantity=2))
    enrollment = enroll(retailer, offer, location=location)
    assert release_held_offer_reports(enrollment) == 1
    report = DistributorReport.objects.get()
    assert (report.distributor, report.account_number) == (
        enrollment.distributor,
        enrollment.account_number,
    )
    assert release_held_offer_reports(enrollment) == 0  # nothing is held any more


def test_a_repeat_of_the_sale_writes_no_second_report(api, retailer, owner, item, offer):
    enroll(retailer, offer)
    api.post("/api/v1/sales/", sale(item, quantity=2))
    api.post("/api/v1/sales/", sale(item, quantity=2))
    assert DistributorReport.objects.count() == 1


def test_sallys_offer_is_recorded_but_never_reported(api, retailer, item, offer):
    enroll(retailer, offer)
    sally = ensure_test_owner(retailer)
    link_pos_customer(owner=sally, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    assert len(api.post("/api/v1/sales/", sale(item, quantity=2)).json()["offers_applied"]) == 1
    assert OfferRedemption.objects.get().owner == sally
    assert not DistributorReport.objects.exists()


@pytest.mark.usefixtures("in_process_tasks")
def test_a_sale_that_fails_after_the_offer_leaves_no_report_and_sends_nothing(
    api,
    retailer,
    owner,
    item,
    offer,
    django_capture_on_commit_callbacks,
):
    enroll(retailer, offer, distributor=email_distributor())
    failing = mock.patch(
        "loyalty.services.sales.pipeline._apply_returns", side_effect=RuntimeError("returns down")
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks, failing:
        response = api.post("/api/v1/sales/", sale(item, quantity=2))
    assert response.status_code == 500
    assert not OfferRedemption.objects.exists() and not DistributorReport.objects.exists()
    assert callbacks == [] and mail.outbox == []


def test_the_payload_names_the_offer_the_discount_the_item_and_the_owner(
    api, retailer, location, owner, item, offer
):
    enrollment = enroll(retailer, offer)
    reward_id = api.post("/api/v1/sales/", sale(item, quantity=2, price="20.00")).json()[
        "offers_applied"
    ][0]["reward_id"]
    report = DistributorReport.objects.get()
    payload = report_payload(report)
    assert payload["report_id"] == str(report.pk) and payload["reward_id"] == reward_id
    assert payload["kind"] == "offer_redemption"
    assert payload["offer"] == {"name": "Acana BOGO", "kind": "bogo", "manufacturer": "Champion"}
    assert (payload["times_applied"], payload["discount"]) == (1, "20.00")
    assert payload["pos_sale_id"] == "S-1"
    assert payload["item"] == {
        "description": "Acana Puppy 25 lb",
        "upc": item.gtin,
        "size": "25 lb",
        "quantity": 2,
    }
    assert payload["store"] == {
        "name": retailer.name,
        "location": location.name,
        "distributor_account_number": enrollment.account_number,
    }
    assert payload["owner"] == {"first_name": "Ann", "last_name": "Lee"}


def test_a_report_is_about_a_card_redemption_or_an_offer_never_both(
    api, retailer, owner, item, offer
):
    enroll(retailer, offer)
    api.post("/api/v1/sales/", sale(item, quantity=2))
    report = DistributorReport.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        DistributorReport.objects.create(
            retailer=retailer, distributor=report.distributor, kind="offer_redemption"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        DistributorReport.objects.create(
            retailer=retailer,
            distributor=report.distributor,
            kind="redemption",
            offer_redemption=report.offer_redemption,
        )


def test_the_reports_screen_and_csv_show_the_offer(
    api, admin_client, retailer, location, owner, item, offer
):
    enrollment = enroll(retailer, offer)
    api.post("/api/v1/sales/", sale(item, quantity=2))
    reward_id = OfferRedemption.objects.get().reward_id
    page = admin_client.get(reverse("redemption_reports")).content.decode()
    assert "Acana BOGO" in page and reward_id in page and "Offer redemption" in page
    assert "Acana Puppy 25 lb" in page and "Ann Lee" in page and location.name in page
    here = admin_client.get(reverse("redemption_reports"), {"location": location.pk}, **HX)
    assert reward_id in here.content.decode()
    elsewhere = factories.LocationFactory(retailer=retailer)
    there = admin_client.get(reverse("redemption_reports"), {"location": elsewhere.pk}, **HX)
    assert reward_id not in there.content.decode()
    response = admin_client.get(reverse("redemption_reports"), {"export": "csv"})
    header, row = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    record = dict(zip(header, row, strict=True))
    assert (record["kind"], record["program"], record["card"]) == (
        "Offer redemption",
        "Acana BOGO",
        "",
    )
    assert (record["item"], record["owner"], record["location"]) == (
        "Acana Puppy 25 lb",
        "Ann Lee",
        location.name,
    )
    assert record["distributor"] == enrollment.distributor.name


def test_the_program_filter_lists_the_offer_and_picks_its_reports_alone(
    api, admin_client, retailer, owner, item, offer
):
    enroll(retailer, offer)
    api.post("/api/v1/sales/", sale(item, quantity=2))
    card_report = make_report(retailer)
    page = admin_client.get(reverse("redemption_reports")).content.decode()
    assert f'value="offer-{offer.pk}"' in page and "Acana BOGO (offer)" in page
    only_offer = admin_client.get(
        reverse("redemption_reports"), {"program": f"offer-{offer.pk}"}, **HX
    ).content.decode()
    assert "Acana BOGO" in only_offer and card_report.redemption.reward_id not in only_offer
    program = card_report.redemption.card.program_card.program
    only_program = admin_client.get(
        reverse("redemption_reports"), {"program": program.pk}, **HX
    ).content.decode()
    assert card_report.redemption.reward_id in only_program and "Acana BOGO" not in only_program


def test_a_failed_offer_report_is_re_sent_and_its_row_still_shows_the_offer(
    api, admin_client, retailer, owner, item, offer
):
    enroll(retailer, offer)
    api.post("/api/v1/sales/", sale(item, quantity=2))
    report = DistributorReport.objects.get()
    DistributorReport.objects.filter(pk=report.pk).update(state="failed", last_error="HTTP 400")
    response = admin_client.post(reverse("resend_report", args=[report.pk]), **HX)
    assert response.status_code == 200
    assert "Acana BOGO" in response.content.decode() and "Pending" in response.content.decode()
    report.refresh_from_db()
    assert report.state == "pending"
