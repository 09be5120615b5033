"""Redemption Reports: what an admin sees, filters, re-send, CSV; cashiers and others kept out."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from loyalty.models import (
    AuditEvent,
    Card,
    Distributor,
    DistributorReport,
    Offer,
    OfferRedemption,
    Redemption,
    Visit,
)
from loyalty.models.cards import CardStatus
from loyalty.tests import factories

HX = {"HTTP_HX_REQUEST": "true"}


def make_report(retailer, *, state="pending", error="", requires_email=False):
    program_card = factories.enrolled_card(retailer, required=1)
    program_card.requires_email = requires_email
    program_card.save()
    enrollment = retailer.enrollments.get(program=program_card.program)
    owner = factories.PetOwnerFactory(retailer=retailer, email="ann@example.com")
    card = Card.objects.create(
        retailer=retailer, owner=owner, program_card=program_card, status=CardStatus.REDEEMED
    )
    redemption = Redemption.objects.create(
        retailer=retailer, card=card, item=program_card.redeemable_items.get()
    )
    return DistributorReport.objects.create(
        retailer=retailer,
        distributor=enrollment.distributor,
        account_number=enrollment.account_number,
        kind="redemption",
        redemption=redemption,
        state=state,
        last_error=error,
        attempts=1 if state != "pending" else 0,
    )


def make_offer_report(retailer):
    """An offer applied to a sale, reported to the Temporary Holding Distributor."""
    item = factories.ItemFactory()
    offer = Offer.objects.create(name="Spring BOGO", kind="bogo", starts_at=timezone.now())
    offer.qualifying_items.add(item)
    owner = factories.PetOwnerFactory(retailer=retailer)
    visit = Visit.objects.create(retailer=retailer, owner=owner, pos_system="pinogy")
    visit.lines.create(retailer=retailer, item=item, quantity=2, description=item.description)
    applied = OfferRedemption.objects.create(
        retailer=retailer, offer=offer, owner=owner, visit=visit, times=1, discount=Decimal("5")
    )
    return DistributorReport.objects.create(
        retailer=retailer,
        distributor=Distributor.objects.get(is_temporary_holding=True),
        kind="offer_redemption",
        offer_redemption=applied,
    )


def test_an_admin_sees_each_report_with_what_the_manufacturer_requires(admin_client, retailer):
    report = make_report(
        retailer, state="failed", error="HTTP 400: Unknown account", requires_email=True
    )
    page = admin_client.get(reverse("redemption_reports")).content.decode()
    assert report.redemption.card.card_number in page
    assert "ann@example.com" in page and "Failed" in page and "Unknown account" in page
    assert report.account_number in page and "Re-send" in page


def test_filters_by_state_and_a_bad_date_is_a_message(admin_client, retailer):
    make_report(retailer, state="sent")
    failed = make_report(retailer, state="failed")
    page = admin_client.get(reverse("redemption_reports"), {"state": "failed"}).content.decode()
    assert failed.redemption.reward_id in page and page.count('class="report-') == 1
    bad = admin_client.get(reverse("redemption_reports"), {"since": "yesterday"})
    assert bad.status_code == 200 and "is not a date" in bad.content.decode()


def test_resend_makes_a_failed_report_pending_once(admin_client, retailer):
    report = make_report(retailer, state="failed", error="HTTP 400")
    url = reverse("resend_report", args=[report.pk])
    assert admin_client.post(url, **HX).status_code == 200
    report.refresh_from_db()
    assert report.state == "pending"
    again = admin_client.post(url, **HX)  # the double click
    assert again.status_code == 422 and "not failed" in again.content.decode()
    assert AuditEvent.objects.filter(action="report.resent").count() == 1


def test_csv_has_this_stores_rows_only(admin_client, retailer, other_retailer):
    mine = make_report(retailer)
    theirs = make_report(other_retailer)
    response = admin_client.get(reverse("redemption_reports"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "created" and len(rows) == 2
    assert rows[1][3] == mine.redemption.card.card_number
    assert theirs.redemption.card.card_number not in {row[3] for row in rows}


def test_cashiers_get_403_and_another_stores_report_is_404(
    cashier_user, admin_client, other_retailer
):
    cashier = Client()
    cashier.force_login(cashier_user)
    assert cashier.get(reverse("redemption_reports")).status_code == 403
    theirs = make_report(other_retailer, state="failed")
    assert cashier.post(reverse("resend_report", args=[theirs.pk])).status_code == 403
    assert admin_client.post(reverse("resend_report", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "failed"
    assert (
        theirs.redemption.reward_id
        not in admin_client.get(reverse("redemption_reports")).content.decode()
    )


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_runs_a_fixed_number_of_queries(
    admin_client, retailer, django_assert_num_queries, count
):
    for _ in range(count):
        make_report(retailer)
        make_offer_report(retailer)
    # Session, the user with the store, count, rows, totals by state, money by distributor,
    # programs and offers, distributors, locations: card reports and offer reports alike load in
    # the rows' query.
    with django_assert_num_queries(9):
        admin_client.get(reverse("redemption_reports"))
