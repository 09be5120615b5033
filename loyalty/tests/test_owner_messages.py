"""Messages to pet owners (SPEC §8): "one more to go" at N-1 and "reward ready" at N, each
once per card, only with consent, stopped by one click, held through quiet hours."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from astro_site.celery import app
from integrations.sms import backends as sms
from loyalty.contracts.pos import PosLine
from loyalty.models import MessageSettings, OwnerMessage
from loyalty.models.messages import MessageKind, MessageState
from loyalty.services.card_page import card_page_url
from loyalty.services.sales import SaleLine
from loyalty.tasks import send_due_messages_task, send_owner_messages_task
from loyalty.tests import factories
from loyalty.tests.pos_sales import press_pos_button
from loyalty.time_zones import store_zone

UPC = "036000291452"


@pytest.fixture(autouse=True)
def in_process_tasks():
    """Tasks run here at commit, as with no broker, even when REDIS_URL names a real one."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    sms.outbox.clear()
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def program_card(retailer):
    food = factories.ItemFactory(gtin=UPC, description="Kibble 25 lb")
    return factories.enrolled_card(retailer, required=3, items=[food])


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(
        retailer=retailer, first_name="Dana", email="dana@example.com", email_consent=True
    )


def buy(owner, location, cashier, quantity, *, sale_id, capture):
    """One press of the POS button; the on-commit send runs as after a real commit."""
    line = PosLine("1", (UPC,), "Kibble 25 lb", quantity, Decimal("20.00"))
    with capture(execute=True):
        return press_pos_button(
            owner=owner, location=location, cashier=cashier, lines=[line], sale_id=sale_id
        )


def kinds(outbox):
    return [m.subject.split(" at ")[0] for m in outbox]


def test_a_card_at_n_minus_1_sends_one_more_to_go_once(
    owner, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    buy(owner, location, cashier_user, 2, sale_id="1", capture=django_capture_on_commit_callbacks)

    assert kinds(mail.outbox) == ["One more to go"]
    email = mail.outbox[0]
    assert email.to == ["dana@example.com"]
    assert "Hi Dana, one more" in email.body and "(2/3)" in email.body
    assert card_page_url(owner) in email.body  # the owner's private card page
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/m/unsubscribe/" in email.extra_headers["List-Unsubscribe"]

    # A second press of the POS button for the same sale, and a retried task: nothing new.
    buy(owner, location, cashier_user, 2, sale_id="1", capture=django_capture_on_commit_callbacks)
    assert send_owner_messages_task.apply(args=(owner.pk,)).get() == 0
    assert send_due_messages_task.apply().get() == 0
    assert len(mail.outbox) == 1
    assert OwnerMessage.objects.get().state == MessageState.SENT


def test_completing_a_card_sends_one_reward_ready(
    owner, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    buy(owner, location, cashier_user, 2, sale_id="1", capture=capture)
    buy(owner, location, cashier_user, 1, sale_id="2", capture=capture)

    assert kinds(mail.outbox) == ["One more to go", "Your reward is ready"]
    assert "card at Pawsome Pets is complete" in mail.outbox[1].body
    # The next card started; one punch on it is not N-1, so nothing more.
    buy(owner, location, cashier_user, 1, sale_id="3", capture=capture)
    assert len(mail.outbox) == 2


def test_a_card_that_completes_in_one_sale_says_reward_ready_only(
    owner, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    buy(owner, location, cashier_user, 3, sale_id="1", capture=django_capture_on_commit_callbacks)
    assert kinds(mail.outbox) == ["Your reward is ready"]


def test_without_consent_nothing_is_written_or_sent(
    retailer, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    quiet = factories.PetOwnerFactory(retailer=retailer, email="no@example.com", phone="5550101")
    buy(quiet, location, cashier_user, 3, sale_id="1", capture=django_capture_on_commit_callbacks)
    assert mail.outbox == [] and sms.outbox == []
    assert not OwnerMessage.objects.exists()


def test_consent_withdrawn_before_the_send_sends_nothing(
    owner, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    buy(owner, location, cashier_user, 2, sale_id="1", capture=lambda **kw: _no_commit())
    owner.email_consent = False
    owner.save()
    assert send_due_messages_task.apply().get() == 0
    message = OwnerMessage.objects.get()
    assert (message.state, mail.outbox) == (MessageState.SKIPPED, [])
    assert "No consent to email" in message.note


class _no_commit:
    """Leaves the after-commit send out: the sweep finds the row later."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_one_click_unsubscribe_stops_the_next_message(
    client, owner, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    buy(owner, location, cashier_user, 2, sale_id="1", capture=capture)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")

    # What a mail client does for RFC 8058: a POST with no cookie and no CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    owner.refresh_from_db()
    assert (owner.email_consent, owner.email_consent_source) == (False, "unsubscribe link")
    assert owner.email_consent_at is not None

    buy(owner, location, cashier_user, 1, sale_id="2", capture=capture)
    assert len(mail.outbox) == 1
    assert OwnerMessage.objects.filter(unsubscribed_at__isnull=False).count() == 1


def test_a_tampered_unsubscribe_link_is_404_and_changes_nothing(
    client, owner, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    buy(owner, location, cashier_user, 2, sale_id="1", capture=django_capture_on_commit_callbacks)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert client.get(url).status_code == 200  # asks first: link scanners open links
    assert client.post(url.replace("/m/unsubscribe/", "/m/unsubscribe/x")).status_code == 404
    owner.refresh_from_db()
    assert owner.email_consent is True


def test_quiet_hours_hold_a_message_until_they_end(
    retailer, owner, location, cashier_user, program_card, django_capture_on_commit_callbacks,
    monkeypatch,
):  # fmt: skip
    local = timezone.localtime(timezone.now(), store_zone(retailer))
    start, end = (local - timedelta(hours=1)).time(), (local + timedelta(hours=1)).time()
    MessageSettings.objects.create(retailer=retailer, quiet_start=start, quiet_end=end)

    buy(owner, location, cashier_user, 2, sale_id="1", capture=django_capture_on_commit_callbacks)
    message = OwnerMessage.objects.get()
    assert (message.state, mail.outbox) == (MessageState.PENDING, [])
    assert message.due_at > timezone.now() + timedelta(minutes=50)
    assert send_due_messages_task.apply().get() == 0  # the sweep during quiet hours

    later = message.due_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert send_due_messages_task.apply().get() == 1  # the first sweep after they end
    assert kinds(mail.outbox) == ["One more to go"]


def test_sms_only_consent_sends_a_text_and_stop_ends_them(
    client, retailer, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    texter = factories.PetOwnerFactory(
        retailer=retailer, first_name="Lee", phone="(555) 010-2233", sms_consent=True
    )
    buy(texter, location, cashier_user, 2, sale_id="1", capture=capture)
    assert [t.to for t in sms.outbox] == ["(555) 010-2233"]
    assert sms.outbox[0].body.endswith("Reply STOP to opt out.")

    response = client.post("/m/sms/inbound/", {"From": "+15550102233", "Body": " stop "})
    assert response.status_code == 200
    texter.refresh_from_db()
    assert (texter.sms_consent, texter.sms_consent_source) == (False, "SMS STOP reply")

    buy(texter, location, cashier_user, 1, sale_id="2", capture=capture)
    assert len(sms.outbox) == 1 and mail.outbox == []


def test_sally_gets_messages_only_while_the_store_tests_them(
    retailer, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    from loyalty.services.owners import ensure_test_owner

    capture = django_capture_on_commit_callbacks
    sally = ensure_test_owner(retailer)
    sally.email_consent = True
    sally.save()
    buy(sally, location, cashier_user, 2, sale_id="1", capture=capture)
    assert mail.outbox == []

    MessageSettings.objects.create(retailer=retailer, send_test_messages=True)
    buy(sally, location, cashier_user, 1, sale_id="2", capture=capture)
    assert kinds(mail.outbox) == ["Your reward is ready"]


def test_a_message_turned_off_is_not_written(
    retailer, owner, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    MessageSettings.objects.create(retailer=retailer, one_more_on=False)
    buy(owner, location, cashier_user, 2, sale_id="1", capture=django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not OwnerMessage.objects.exists()


def test_the_store_wording_is_used(
    retailer, owner, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    MessageSettings.objects.create(
        retailer=retailer, one_more_text="{first_name}: {progress} on {card}. {link}"
    )
    buy(owner, location, cashier_user, 2, sale_id="1", capture=django_capture_on_commit_callbacks)
    assert mail.outbox[0].body.startswith(f"Dana: 2/3 on {program_card.name}. http")


def test_the_open_pixel_records_the_first_open(
    client, owner, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    buy(owner, location, cashier_user, 2, sale_id="1", capture=django_capture_on_commit_callbacks)
    html = mail.outbox[0].alternatives[0][0]
    pixel = html.split('<img src="')[1].split('"')[0]
    assert client.get(pixel)["Content-Type"] == "image/gif"
    assert OwnerMessage.objects.get().opened_at is not None


def test_the_hook_costs_the_same_queries_for_one_card_or_four(
    retailer, location, cashier_user, django_capture_on_commit_callbacks
):
    """Four cards reaching N-1 in one sale cost what one does: the settings read, one INSERT."""
    items = [factories.ItemFactory(gtin=factories.make_upc(700 + n)) for n in range(4)]
    for item in items:
        factories.enrolled_card(retailer, required=3, items=[item])

    def sale(count):
        buyer = factories.PetOwnerFactory(
            retailer=retailer, email="b@example.com", email_consent=True
        )
        lines = [
            SaleLine(line_id=str(n), codes=(item.gtin,), quantity=2, unit_price=Decimal(1))
            for n, item in enumerate(items[:count])
        ]
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=False):
                press_pos_button(
                    owner=buyer,
                    location=location,
                    cashier=cashier_user,
                    lines=lines,
                    sale_id=f"s{count}",
                )
        return [q["sql"].lower() for q in queries.captured_queries]

    one, four = sale(1), sale(4)
    assert OwnerMessage.objects.filter(kind=MessageKind.ONE_MORE).count() == 5
    assert len(four) == len(one)
    assert sum("ownermessage" in q or "messagesettings" in q for q in four) == 2


def test_a_visit_summary_goes_once_after_finished_when_the_store_turns_it_on(
    retailer, owner, location, cashier_user, program_card, django_capture_on_commit_callbacks
):
    from loyalty.services.checkout import finish_visit

    capture = django_capture_on_commit_callbacks
    visit = buy(owner, location, cashier_user, 1, sale_id="1", capture=capture)
    with capture(execute=True):
        finish_visit(visit=visit)
    assert mail.outbox == []  # off by default

    MessageSettings.objects.create(retailer=retailer, visit_summary_on=True)
    visit = buy(owner, location, cashier_user, 1, sale_id="2", capture=capture)
    assert kinds(mail.outbox) == ["One more to go"]
    for _click in range(2):  # Finished pressed twice
        with capture(execute=True):
            finish_visit(visit=visit)
    assert kinds(mail.outbox) == ["One more to go", "Your visit to Pawsome Pets"]
    assert "Today: 1 punch on your cards." in mail.outbox[1].body


def test_a_message_another_worker_claimed_is_not_sent_again(
    owner, location, cashier_user, program_card
):
    from loyalty.services.messages.sending import send_message

    buy(owner, location, cashier_user, 2, sale_id="1", capture=lambda **kw: _no_commit())
    message = OwnerMessage.objects.get()
    OwnerMessage.objects.filter(pk=message.pk).update(state=MessageState.SENDING)
    assert send_message(message.pk) == MessageState.SENDING
    assert send_due_messages_task.apply().get() == 0
    assert mail.outbox == []


def test_a_failed_send_waits_and_the_sweep_sends_it_once(
    owner, location, cashier_user, program_card, monkeypatch
):
    from loyalty.services.messages import compose

    buy(owner, location, cashier_user, 2, sale_id="1", capture=lambda **kw: _no_commit())
    real = compose.email_for

    def down(*args):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr(compose, "email_for", down)
    assert send_due_messages_task.apply().get() == 0
    message = OwnerMessage.objects.get()
    assert (message.state, message.attempts) == (MessageState.PENDING, 1)
    assert message.due_at > timezone.now() and "unreachable" in message.note

    monkeypatch.setattr(compose, "email_for", real)
    OwnerMessage.objects.update(due_at=timezone.now())
    assert send_due_messages_task.apply().get() == 1
    assert send_due_messages_task.apply().get() == 0
    assert len(mail.outbox) == 1
