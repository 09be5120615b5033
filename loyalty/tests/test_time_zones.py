"""Issue 13: each store reads its own clock. A redemption late in the evening in Honolulu is
the next morning in Chicago (settings.TIME_ZONE); the Honolulu store's report counts it on
its own day, and its CSV shows its own local time."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from loyalty.tests import factories
from loyalty.tests.test_admin_reports import REDEMPTIONS, REDEMPTIONS_CSV, csv_rows, redeem
from loyalty.time_zones import store_zone

# 23:30 in Honolulu (UTC-10) on March 3 is 09:30 UTC and 03:30 in Chicago on March 4.
LATE_EVENING = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
HONOLULU_DAY = date(2026, 3, 3)


@pytest.fixture
def honolulu_store(retailer):
    retailer.time_zone = "Pacific/Honolulu"
    retailer.save()
    return retailer


def _report_rows(client, day: date) -> list[list[str]]:
    query = {"start": day.isoformat(), "end": day.isoformat()}
    return csv_rows(client.get(REDEMPTIONS_CSV, query))


def test_the_report_day_and_the_csv_follow_the_stores_zone(honolulu_store, admin_user):
    client = Client()
    client.force_login(admin_user)
    owner = factories.PetOwnerFactory(retailer=honolulu_store)
    redeem(factories.enrolled_card(honolulu_store, required=1), owner, at=LATE_EVENING)
    rows = _report_rows(client, HONOLULU_DAY)
    assert len(rows) == 2 and rows[1][0] == "Mar 3, 2026 11:30 PM"
    assert len(_report_rows(client, date(2026, 3, 4))) == 1  # nothing on Chicago's day
    page = client.get(REDEMPTIONS, {"start": "2026-03-03", "end": "2026-03-03"})
    assert "Total over 1 day: Punches 1, Redemptions 1." in page.content.decode()


def test_a_store_without_a_zone_keeps_the_settings_zone(admin_client, retailer, admin_user):
    owner = factories.PetOwnerFactory(retailer=retailer)
    redeem(factories.enrolled_card(retailer, required=1), owner, at=LATE_EVENING)
    rows = _report_rows(admin_client, date(2026, 3, 4))
    assert rows[1][0] == "Mar 4, 2026 3:30 AM"


def test_a_location_in_another_zone_overrides_the_store(settings, honolulu_store):
    far = factories.LocationFactory(retailer=honolulu_store, time_zone="America/New_York")
    assert store_zone(honolulu_store, far).key == "America/New_York"
    assert store_zone(honolulu_store).key == "Pacific/Honolulu"
    honolulu_store.time_zone = ""
    assert store_zone(honolulu_store).key == settings.TIME_ZONE


def test_an_admin_sets_a_locations_zone_and_a_bad_one_is_refused(admin_client, location):
    url = reverse("location_edit", args=[location.pk])
    page = admin_client.get(url).content.decode()
    assert "Same as the store (America/Chicago)" in page and "Pacific/Honolulu" in page
    data = {"name": location.name, "address": "", "pos_shop_id": "", "pos_return_url": ""}
    assert admin_client.post(url, {**data, "time_zone": "Mars/Olympus"}).status_code == 422
    admin_client.post(url, {**data, "time_zone": "America/Denver"})
    location.refresh_from_db()
    assert location.time_zone == "America/Denver"
