"""Which events write a distributor report, what it says, and how a send ends (SPEC §6)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from astro_site.celery import app
from loyalty.errors import DomainError
from loyalty.models import AuditEvent, Card, DistributorReport, Redemption
from loyalty.models.cards import CardStatus
from loyalty.services.cards import return_purchase
from loyalty.services.distributor_reports import outbox as reports
from loyalty.services.owners import ensure_test_owner
from loyalty.services.redemptions import redeem_card
from loyalty.tests import factories


def complete_card(retailer, program_card, owner=None):
    owner = owner or factories.PetOwnerFactory(retailer=retailer)
    card = Card.objects.create(
        retailer=retailer, owner=owner, program_card=program_card, status=CardStatus.COMPLETE
    )
    card.purchases.create(retailer=retailer, item=program_card.qualifying_items.get())
    return card


def redeem(retailer, card):
    item = card.program_card.redeemable_items.get()
    return redeem_card(card=card, item_id=item.pk)


@pytest.fixture
def in_process_tasks():
    """Tasks run in this process at commit, as they do with no broker (the demo's mode), even
    when REDIS_URL points the suite at a real broker with no worker listening."""
    always_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = always_eager


@pytest.fixture
def held_card(retailer):
    """Enrolled through a distributor with no delivery method yet: reports wait, unsent."""
    return factories.enrolled_card(retailer, required=1)


def test_a_redemption_writes_one_pending_report_for_the_enrolled_distributor(retailer, held_card):
    redemption = redeem(retailer, complete_card(retailer, held_card))
    report = DistributorReport.objects.get()
    enrollment = retailer.enrollments.get()
    assert report.redemption == redemption and report.kind == "redemption"
    assert report.distributor == enrollment.distributor
    assert report.account_number == enrollment.account_number
    assert report.state == "pending" and report.attempts == 0


def test_sally_and_custom_programs_never_create_a_report(retailer, held_card):
    sally = ensure_test_owner(retailer)
    redeem(retailer, complete_card(retailer, held_card, owner=sally))
    custom = factories.ProgramFactory(kind="buy_x_get_y", retailer=retailer, manufacturer=None)
    custom_card = factories.ProgramCardFactory(program=custom, purchases_required=1)
    redeem(retailer, complete_card(retailer, custom_card))
    assert Redemption.objects.count() == 2
    assert not DistributorReport.objects.exists()


def test_a_return_after_redemption_writes_a_reopen_report(retailer, held_card):
    card = complete_card(retailer, held_card)
    redeem(retailer, card)
    return_purchase(owner=card.owner, item=held_card.qualifying_items.get())
    kinds = sorted(DistributorReport.objects.values_list("kind", flat=True))
    assert kinds == ["redemption", "reopen_request"]


def test_the_payload_carries_what_the_manufacturer_requires(retailer, held_card):
    held_card.requires_email = True
    held_card.save()
    owner = factories.PetOwnerFactory(retailer=retailer, email="ann@example.com")
    redeem(retailer, complete_card(retailer, held_card, owner=owner))
    payload = reports.report_payload(DistributorReport.objects.get())
    assert payload["owner"]["email"] == "ann@example.com"
    assert "address" not in payload["owner"]
    assert payload["store"]["distributor_account_number"].startswith("ACCT-")


def test_backoff_doubles_with_jitter_and_stays_under_the_cap():
    base = settings.REPORT_RETRY_BASE_SECONDS
    assert base / 2 <= reports.backoff_seconds(1) <= base
    assert 2 * base <= reports.backoff_seconds(3) <= 4 * base
    assert reports.backoff_seconds(40) <= reports.BACKOFF_CAP_SECONDS < 3600


def test_an_email_distributor_gets_a_csv_attachment(
    retailer, django_capture_on_commit_callbacks, in_process_tasks
):
    distributor = factories.DistributorFactory(delivery_method="email", email="claims@dist.example")
    card_program = factories.ProgramCardFactory(purchases_required=1)
    factories.EnrollmentFactory(
        retailer=retailer, program=card_program.program, distributor=distributor
    )
    with django_capture_on_commit_callbacks(execute=True):
        redemption = redeem(retailer, complete_card(retailer, card_program))
    report = DistributorReport.objects.get()
    assert report.state == "sent"  # sent at commit
    [message] = mail.outbox
    assert message.to == ["claims@dist.example"]
    name, content, kind = message.attachments[0]
    assert kind == "text/csv" and redemption.reward_id in content and str(report.pk) in name


def test_a_due_report_to_an_unreachable_receiver_stays_pending_with_a_later_retry(
    retailer, django_capture_on_commit_callbacks, in_process_tasks
):
    distributor = factories.DistributorFactory(
        delivery_method="https", endpoint_url="http://127.0.0.1:9/reports/", signing_secret="s"
    )
    card_program = factories.ProgramCardFactory(purchases_required=1)
    factories.EnrollmentFactory(
        retailer=retailer, program=card_program.program, distributor=distributor
    )
    with django_capture_on_commit_callbacks(execute=True):
        redeem(retailer, complete_card(retailer, card_program))
    report = DistributorReport.objects.get()
    assert report.state == "pending" and report.attempts >= 1
    assert "Could not reach the distributor" in report.last_error
    assert report.next_attempt_at > timezone.now()
    # Not due yet: the catch-up leaves it alone.
    assert reports.send_due_reports() == 0


def test_an_admin_resends_a_failed_report_once(retailer, held_card, admin_user):
    redeem(retailer, complete_card(retailer, held_card))
    report = DistributorReport.objects.get()
    DistributorReport.objects.filter(pk=report.pk).update(
        state="failed", last_error="HTTP 400", next_attempt_at=timezone.now() + timedelta(days=1)
    )
    reports.resend_report(report=report, actor=admin_user)
    report.refresh_from_db()
    assert report.state == "pending" and report.next_attempt_at <= timezone.now()
    assert AuditEvent.objects.filter(action="report.resent").count() == 1
    with pytest.raises(DomainError, match="pending, not failed"):
        reports.resend_report(report=report, actor=admin_user)
