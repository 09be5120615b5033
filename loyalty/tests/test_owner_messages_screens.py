"""The store's Messages settings and report (SPEC §8): admins only, this store's rows only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from loyalty.models import AuditEvent, MessageSettings, OwnerMessage
from loyalty.models.messages import MessageState
from loyalty.tests import factories

SETTINGS = {
    "one_more_on": "on",
    "one_more_text": "{first_name}, one more {card} and it's free. {link}",
    "reward_ready_on": "on",
    "reward_ready_text": "Your {card} reward is ready at {store}. {link}",
    "visit_summary_text": "Thanks, {first_name}. {summary}",
    "quiet_start": "21:00",
    "quiet_end": "08:00",
}


def message(owner, **fields):
    now = timezone.now()
    return OwnerMessage.objects.create(
        retailer=owner.retailer, owner=owner, kind="one_more", channel="email",
        created_at=now, due_at=now, **fields,
    )  # fmt: skip


def test_an_admin_saves_the_messages_settings_audited(admin_client, retailer):
    page = admin_client.get(reverse("message_settings"))
    assert page.status_code == 200
    assert b"Messages settings" in page.content and b"Preview" in page.content

    response = admin_client.post(reverse("message_settings"), SETTINGS)
    assert response.status_code == 302
    saved = MessageSettings.objects.get(retailer=retailer)
    assert (saved.visit_summary_on, saved.quiet_start.hour, saved.quiet_end.hour) == (False, 21, 8)
    assert saved.one_more_text.startswith("{first_name}, one more")
    assert AuditEvent.objects.filter(action="settings.messages_changed").count() == 1


def test_an_unknown_placeholder_is_refused_and_changes_nothing(admin_client, retailer):
    data = SETTINGS | {"one_more_text": "Hi {firstname}"}
    response = admin_client.post(reverse("message_settings"), data)
    assert response.status_code == 422
    assert "Unknown placeholder {firstname}" in response.content.decode()
    assert not MessageSettings.objects.exists()


def test_half_quiet_hours_are_refused(admin_client):
    response = admin_client.post(reverse("message_settings"), SETTINGS | {"quiet_end": ""})
    assert response.status_code == 422
    assert b"Give both ends of the quiet hours" in response.content


def test_the_preview_fills_in_what_is_being_typed(admin_client, retailer):
    data = SETTINGS | {"reward_ready_text": "Free {card} waiting at {store}!"}
    response = admin_client.post(reverse("message_preview"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Free Acana Dog Food waiting at Pawsome Pets!" in text
    assert "<html" not in text  # the preview region only
    assert not MessageSettings.objects.exists()


@pytest.mark.parametrize("name", ["message_settings", "report_messages"])
def test_a_cashier_gets_403(cashier_client, name):
    response = cashier_client.get(reverse(name))
    assert response.status_code == 403


def test_a_cashier_cannot_save_or_preview(cashier_client):
    assert cashier_client.post(reverse("message_settings"), SETTINGS).status_code == 403
    assert cashier_client.post(reverse("message_preview"), SETTINGS).status_code == 403
    assert not MessageSettings.objects.exists()


def test_the_report_counts_and_lists_only_this_stores_messages(
    admin_client, retailer, other_retailer
):
    ours = factories.PetOwnerFactory(retailer=retailer, first_name="Dana", last_name="Ours")
    theirs = factories.PetOwnerFactory(
        retailer=other_retailer, first_name="Zed", last_name="Theirs"
    )
    now = timezone.now()
    message(ours, state=MessageState.SENT, sent_at=now, opened_at=now, recipient="d@example.com")
    message(ours, state=MessageState.SENT, sent_at=now, unsubscribed_at=now)
    message(ours, state=MessageState.SKIPPED, note="No consent to email (or no email address).")
    message(theirs, state=MessageState.SENT, sent_at=now)

    page = admin_client.get(reverse("report_messages")).content.decode()
    assert 'id="total-sent">2<' in page
    assert 'id="total-opened">1<' in page and 'id="total-unsubscribed">1<' in page
    assert "Dana Ours" in page and "Theirs" not in page

    csv = b"".join(admin_client.get(reverse("report_messages") + "?format=csv")).decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("created,pet owner,message,by,to,state,sent,opened")
    assert len(lines) == 4 and "Theirs" not in csv
    assert "Not sent" in csv and "No consent to email" in csv


def test_another_stores_admin_sees_its_own_settings_not_ours(client, retailer, other_retailer):
    MessageSettings.objects.create(retailer=retailer, one_more_text="Ours only {link}")
    other_admin = factories.UserFactory(retailer=other_retailer, role="admin")
    client.force_login(other_admin)
    page = client.get(reverse("message_settings")).content.decode()
    assert "Ours only" not in page
    client.post(reverse("message_settings"), SETTINGS)
    assert MessageSettings.objects.get(retailer=retailer).one_more_text == "Ours only {link}"


def test_the_owner_form_records_consent_with_time_and_who(admin_client, admin_user, retailer):
    owner = factories.PetOwnerFactory(retailer=retailer, email="o@example.com", phone="5550100")
    page = admin_client.get(reverse("owner_edit", args=[owner.pk])).content.decode()
    assert "Agreed to text messages (SMS)" in page
    data = {
        "owner-first_name": owner.first_name,
        "owner-last_name": owner.last_name,
        "owner-email": owner.email,
        "owner-phone": owner.phone,
        "consent-sms_consent": "on",
        "pets-TOTAL_FORMS": "0",
        "pets-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("owner_edit", args=[owner.pk]), data)
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.sms_consent, owner.email_consent) == (True, False)
    assert owner.sms_consent_source == f"owner form ({admin_user.username})"
    assert owner.sms_consent_at is not None and owner.email_consent_at is None


def test_another_stores_owner_form_is_404(client, retailer, other_retailer):
    owner = factories.PetOwnerFactory(retailer=retailer)
    client.force_login(factories.UserFactory(retailer=other_retailer, role="admin"))
    response = client.post(reverse("owner_edit", args=[owner.pk]), {"consent-sms_consent": "on"})
    assert response.status_code == 404
    owner.refresh_from_db()
    assert owner.sms_consent is False
