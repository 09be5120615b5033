"""The Messages settings and report in a real browser: the live preview follows the wording as
an admin types, and saving keeps it (SPEC §8)."""

import pytest

from loyalty.models import MessageSettings, OwnerMessage
from loyalty.models.messages import MessageState
from loyalty.tests import factories

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_preview_follows_the_wording_and_saving_keeps_it(
    page, live_server, admin_user, screenshot
):
    page.goto(f"{live_server.url}/settings/messages/")
    log_in(page, admin_user)
    page.get_by_role("heading", name="Messages settings").wait_for()
    preview = page.locator("#preview-one_more")
    assert "Hi Sally, one more Acana Dog Food purchase" in preview.inner_text()

    page.get_by_label("“One more to go” wording").fill("{first_name}: {progress} at {store}!")
    page.locator("#preview-one_more", has_text="Sally: 11/12 at Pawsome Pets!").wait_for()
    page.get_by_label("Quiet hours from").fill("21:00")
    page.get_by_label("Quiet hours until").fill("08:00")
    screenshot("messages-01-settings-preview")
    page.get_by_role("button", name="Save messages settings").click()
    page.get_by_text("Messages settings saved.").wait_for()
    saved = MessageSettings.objects.get(retailer=admin_user.retailer)
    assert saved.one_more_text == "{first_name}: {progress} at {store}!"
    assert (saved.quiet_start.hour, saved.quiet_end.hour) == (21, 8)


def test_the_report_shows_sent_and_unsubscribed(page, live_server, admin_user, screenshot):
    from django.utils import timezone

    owner = factories.PetOwnerFactory(retailer=admin_user.retailer, first_name="Dana")
    now = timezone.now()
    OwnerMessage.objects.create(
        retailer=owner.retailer, owner=owner, kind="one_more", channel="email",
        state=MessageState.SENT, created_at=now, due_at=now, sent_at=now, unsubscribed_at=now,
    )  # fmt: skip
    page.goto(f"{live_server.url}/reports/messages/")
    log_in(page, admin_user)
    page.get_by_role("heading", name="Messages").first.wait_for()
    assert page.locator("#total-sent").inner_text() == "1"
    assert page.locator("#total-unsubscribed").inner_text() == "1"
    screenshot("messages-02-report")
