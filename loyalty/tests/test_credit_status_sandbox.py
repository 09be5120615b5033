"""Distributor credit status end to end (SPEC §6) with the real receiver sandbox over real HTTP:
a claim sent, declined with a reason, corrected and resubmitted, then credited; the screen's
totals follow it, and the distributor's callbacks repeated change nothing.

With PostgreSQL and Redis a real Celery worker sends the reports (as in
test_report_delivery.py); on SQLite the send runs right after the commit in this process."""

import re
from decimal import Decimal

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from astro_site.celery import app
from loyalty.models import DistributorReport, ReportStatusChange
from loyalty.tests import factories
from loyalty.tests.test_report_delivery import (
    Worker,
    complete_cards,
    receiver,
    redeem,
    wait_for,
)
from simulators.distributor.models import Delivery

pytestmark = [pytest.mark.django_db(transaction=True)]
WITH_WORKER = connection.vendor == "postgresql" and bool(settings.REDIS_URL)


@pytest.fixture
def sender(tmp_path, live_server):
    receiver("--reset")
    if not WITH_WORKER:
        yield None  # eager Celery: each send runs after its commit, over HTTP to the sandbox
        return
    app.control.purge()
    worker = Worker(tmp_path)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def program_card(live_server, retailer):
    """A program whose distributor is the receiver sandox, both ways: it receives signed
    reports and answers at Astro's signed callback with the sandbox's secret."""
    distributor = factories.DistributorFactory(
        delivery_method="https",
        endpoint_url=f"{live_server.url}/sandbox/distributor/reports/",
        signing_secret=settings.DISTRIBUTOR_SANDBOX_SECRET,
        callback_secret=settings.DISTRIBUTOR_SANDBOX_SECRET,
    )
    card = factories.ProgramCardFactory(purchases_required=1)
    card.redeemable_items.update(list_price=Decimal("64.99"))
    factories.EnrollmentFactory(
        retailer=retailer, program=card.program, distributor=distributor, account_number="PP-1"
    )
    return card


def answer(live_server, **fields) -> dict:
    """Press the sandbox's answer, as the distributor would: it signs and calls Astro back."""
    response = httpx.post(f"{live_server.url}/sandbox/distributor/answer/", json=fields, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def state_of(report) -> str:
    return DistributorReport.objects.values_list("state", flat=True).get(pk=report.pk)


def screen_money(client: Client, distributor_id: int) -> tuple[str, str]:
    """(credited, still owed) for the distributor on Redemption Reports."""
    page = client.get(reverse("redemption_reports")).content.decode()
    found = re.search(
        rf'id="money-{distributor_id}">.*?class="num credited">\$([\d.]+)</td>'
        r'<td class="num owed">\$([\d.]+)</td>',
        page,
    )
    assert found, page
    return found.group(1), found.group(2)


def test_sent_declined_corrected_resubmitted_credited_and_repeats_change_nothing(
    sender, live_server, retailer, program_card, admin_user
):
    admin = Client()
    admin.force_login(admin_user)
    redeem(retailer, program_card, complete_cards(retailer, program_card, 1))
    report = DistributorReport.objects.get()
    wait_for(lambda: state_of(report) == "sent", timeout=60, what="the report sent")
    distributor = report.distributor_id
    assert screen_money(admin, distributor) == ("0.00", "64.99")

    # The distributor declines it: the 25 lb bag is not the program's free good.
    declined = answer(
        live_server, key=str(report.pk), status="declined", reason="ineligible_free_good_size",
        note="Only the 13 lb bag is free.", event_id="evt-decline",
    )  # fmt: skip
    assert declined["astro_status"] == 200 and declined["astro_reply"]["status"] == "applied"
    assert state_of(report) == "declined"
    page = admin.get(reverse("redemption_reports"), {"state": "declined"}).content.decode()
    assert "Ineligible Free Good Size" in page and "Only the 13 lb bag is free." in page
    assert screen_money(admin, distributor) == ("0.00", "64.99")

    # The admin picks the 13 lb bag and resubmits: a new send with its own key.
    smaller = factories.ItemFactory(size="13 lb", list_price=Decimal("39.99"))
    program_card.redeemable_items.add(smaller)
    fixed = admin.post(
        reverse("resubmit_report", args=[report.pk]), {"item": smaller.pk, "account_number": ""}
    )
    assert fixed.status_code == 302
    wait_for(lambda: state_of(report) == "resubmitted", timeout=60, what="the resubmission")
    stats = receiver("--stats")
    assert stats["per_key"] == {str(report.pk): 1, f"{report.pk}.r1": 1}
    resent = Delivery.objects.get(idempotency_key=f"{report.pk}.r1").body
    assert resent["revision"] == 1 and resent["item"]["upc"] == smaller.gtin
    assert screen_money(admin, distributor) == ("0.00", "39.99")

    # The distributor credits the corrected claim.
    credited = answer(live_server, key=f"{report.pk}.r1", status="credited", event_id="evt-credit")
    assert credited["astro_reply"]["status"] == "applied"
    assert state_of(report) == "credited"
    assert screen_money(admin, distributor) == ("39.99", "0.00")
    history = list(ReportStatusChange.objects.values_list("from_state", "to_state", "source"))
    assert history == [
        ("sent", "declined", "callback"),
        ("declined", "pending", "admin"),
        ("resubmitted", "credited", "callback"),
    ]

    # Both callbacks again, exactly as sent: 200, and nothing moves.
    for key, status, event in [
        (f"{report.pk}.r1", "credited", "evt-credit"),
        (str(report.pk), "declined", "evt-decline"),
    ]:
        fields = {"key": key, "status": status, "event_id": event}
        if status == "declined":
            fields |= {"reason": "ineligible_free_good_size", "note": "Only the 13 lb bag is free."}
        repeat = answer(live_server, **fields)
        assert repeat["astro_status"] == 200 and repeat["astro_reply"]["status"] == "duplicate"
    assert state_of(report) == "credited"
    assert ReportStatusChange.objects.count() == 3
    assert screen_money(admin, distributor) == ("39.99", "0.00")
    assert receiver("--stats")["max_per_key"] == 1  # each send arrived once
    # The sandbox's page shows each claim's last answer and Astro's reply to it.
    sandbox_page = httpx.get(f"{live_server.url}/sandbox/distributor/", timeout=30)
    assert sandbox_page.status_code == 200 and "credited → Astro 200 duplicate" in sandbox_page.text


def test_the_sandbox_refuses_an_unknown_claim_and_a_bad_status(sender, live_server):
    url = f"{live_server.url}/sandbox/distributor/answer/"
    unknown = httpx.post(url, json={"key": "nope", "status": "credited"}, timeout=10)
    assert unknown.status_code == 404
    Delivery.objects.create(idempotency_key="k", report_id="r", body={"report_id": "r"})
    assert httpx.post(url, json={"key": "k", "status": "paid"}, timeout=10).status_code == 400
    # A report Astro never sent: Astro answers the sandbox with its 404 JSON.
    outcome = httpx.post(url, json={"key": "k", "status": "credited"}, timeout=10).json()
    assert outcome["astro_status"] == 404 and "No report r" in outcome["astro_reply"]["error"]
