"""Reconcile finds and names each kind of discrepancy planted in the database (issue 15), and
its command and admin screen behave: exit codes, --json, the last nightly result, tenancy."""

import json
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from integrations import memory
from loyalty.models import (
    AuditEvent,
    Card,
    DistributorReport,
    PetOwner,
    PointsEntry,
    Purchase,
    ReconcileRun,
    Redemption,
)
from loyalty.selectors.reconcile import reconcile
from loyalty.selectors.reconcile.provenance import PROVENANCE_KINDS
from loyalty.tasks import reconcile_books_task
from loyalty.tests import factories
from loyalty.tests.books import REQUIRED, make_store


@pytest.fixture
def store(db, settings):
    settings.DISTRIBUTOR_DELIVERY = "integrations.memory.deliver"
    memory.reset()
    return make_store()


def checks(store) -> list[str]:
    return [d.check for d in reconcile(retailer=store.retailer)]


def redeemed(store, *, deliver: bool = True) -> Redemption:
    store.sale(0, REQUIRED)
    store.redeem(0)
    if deliver:
        store.deliver()
    return Redemption.objects.get(card__owner=store.owner)


def test_a_clean_store_reconciles(store):
    redeemed(store)
    store.sale(1, 2)
    store.exception()
    assert checks(store) == []


def test_a_complete_card_missing_a_punch_is_named(store):
    store.sale(0, REQUIRED)
    card = Card.objects.get(owner=store.owner, status="complete")
    gone = card.purchases.first()
    Purchase.objects.filter(pk=gone.pk).update(state="removed")
    [found] = reconcile(retailer=store.retailer)
    assert found.check == "card_punch_count"
    assert found.rows["card"] == [card.pk]
    assert gone.pk not in found.rows["purchase"]


def test_an_open_card_holding_n_punches_is_named(store):
    store.sale(0, REQUIRED - 1)
    card = Card.objects.get(owner=store.owner)
    line = card.purchases.first().visit_line
    factories.PurchaseFactory(card=card, visit_line=line)
    found = reconcile(retailer=store.retailer)
    assert "open_card_over_limit" in [d.check for d in found]


def test_a_complete_card_with_a_standing_reward_is_named(store):
    redemption = redeemed(store)
    Card.objects.filter(pk=redemption.card_id).update(status="complete")
    found = [d for d in reconcile(retailer=store.retailer) if d.check == "card_redemption_state"]
    assert found and found[0].rows == {"card": [redemption.card_id], "redemption": [redemption.pk]}


def test_a_purchase_of_another_store_on_our_card_is_named(store, other_retailer):
    store.sale(0, 1)
    purchase = Purchase.objects.get()
    Purchase.objects.filter(pk=purchase.pk).update(retailer=other_retailer)
    assert "rows_of_another_store" in [
        d.check for d in reconcile(retailer=other_retailer) + reconcile(retailer=store.retailer)
    ]


def test_a_purchase_from_nowhere_is_named_and_an_audited_one_is_accepted(store):
    store.sale(0, 1)
    card = Card.objects.get(owner=store.owner)
    stray = factories.PurchaseFactory(card=card)  # no sale line, no audit entry
    [found] = reconcile(retailer=store.retailer)
    assert (found.check, found.rows["purchase"]) == ("purchase_provenance", [stray.pk])
    AuditEvent.objects.create(
        retailer=store.retailer,
        action="purchase.manual",
        target_type="purchase",
        target_id=str(stray.pk),
    )
    assert checks(store) == []
    assert list(PROVENANCE_KINDS) == [
        "sale line",
        "audited manual or exception entry",
        "audited paper-card import",
    ]


def test_a_sale_line_punching_twice_is_named(store):
    store.sale(0, 1)
    card = Card.objects.get(owner=store.owner)
    line = card.purchases.get().visit_line
    factories.PurchaseFactory(card=card, visit_line=line)
    found = [d for d in reconcile(retailer=store.retailer) if d.check == "sale_line_overpunched"]
    assert found[0].rows["visit_line"] == [line.pk]


def test_a_points_entry_of_the_wrong_sign_and_a_negative_balance_are_named(store):
    store.sale(0, 1)
    entry = PointsEntry.objects.get(owner=store.owner)
    PointsEntry.objects.filter(pk=entry.pk).update(points=-entry.points - 5)
    found = {d.check: d for d in reconcile(retailer=store.retailer)}
    assert found["points_ledger"].rows["points_entry"] == [entry.pk]
    assert found["points_balance"].rows["owner"] == [store.owner.pk]


def test_a_reward_without_its_report_and_one_reported_twice_are_named(store):
    redemption = redeemed(store, deliver=False)
    report = DistributorReport.objects.get(redemption=redemption)
    DistributorReport.objects.filter(pk=report.pk).update(state="withdrawn")
    [found] = reconcile(retailer=store.retailer)
    assert found.check == "redemption_report_count" and "0 live reports" in found.message
    DistributorReport.objects.filter(pk=report.pk).update(state="pending")
    twin = DistributorReport.objects.get(pk=report.pk)
    twin.pk, twin.kind, twin.corrects = uuid.uuid4(), "cancel_replace", report
    twin.save(force_insert=True)
    [found] = reconcile(retailer=store.retailer)
    assert found.check == "redemption_report_count" and "2 live reports" in found.message


def test_an_undone_reward_whose_sent_report_was_never_corrected_is_named(store):
    redemption = redeemed(store)
    report = DistributorReport.objects.get(redemption=redemption)
    assert report.state == "sent"
    Redemption.objects.filter(pk=redemption.pk).update(undone_at=timezone.now())
    Card.objects.filter(pk=redemption.card_id).update(status="complete")
    [found] = reconcile(retailer=store.retailer)
    assert found.check == "undone_redemption_uncorrected"
    assert found.rows["report"] == [str(report.pk)]


def test_a_sent_report_without_the_receivers_acknowledgement_is_named(store):
    redemption = redeemed(store)
    DistributorReport.objects.filter(redemption=redemption).update(sent_at=None)
    [found] = reconcile(retailer=store.retailer)
    assert found.check == "sent_report_unacknowledged"


def test_anything_reported_of_sally_is_named(store):
    redemption = redeemed(store)
    sally = PetOwner.objects.get(retailer=store.retailer, is_test=True)
    Card.objects.filter(pk=redemption.card_id).update(owner=sally)
    found = [d.check for d in reconcile(retailer=store.retailer)]
    assert found == ["test_owner_reported"], "her reward is no longer reportable, but was sent"
    assert redemption.reports.count() == 1


# --- The command ------------------------------------------------------------------------------


def test_the_command_exits_0_on_clean_books_and_records_the_run(store):
    redeemed(store)
    out = StringIO()
    call_command("reconcile", stdout=out)
    assert "0 discrepancies" in out.getvalue()
    assert ReconcileRun.objects.get(retailer=store.retailer).discrepancies == 0


def test_the_command_prints_each_discrepancy_with_its_rows_and_exits_1(store, other_retailer):
    store.sale(0, 1)
    stray = factories.PurchaseFactory(card=Card.objects.get(owner=store.owner))
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile", "--json", stdout=out)
    assert exit_.value.code == 1
    answer = json.loads(out.getvalue())
    assert answer["discrepancies"] == 1
    ours = next(r for r in answer["retailers"] if r["id"] == store.retailer.pk)
    assert ours["discrepancies"][0]["check"] == "purchase_provenance"
    assert ours["discrepancies"][0]["rows"]["purchase"] == [stray.pk]
    other = next(r for r in answer["retailers"] if r["id"] == other_retailer.pk)
    assert other["ok"] is True
    # Scoped to the other store, the books add up; since tomorrow nothing is looked at.
    call_command("reconcile", "--retailer", str(other_retailer.pk), stdout=StringIO())
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    call_command("reconcile", "--since", tomorrow, stdout=StringIO())
    with pytest.raises(SystemExit):
        call_command("reconcile", "--since", "2000-01-01", stdout=(text := StringIO()))
    assert "[purchase_provenance]" in text.getvalue() and f"purchase {stray.pk}" in text.getvalue()


def test_the_command_refuses_bad_options(store):
    with pytest.raises(CommandError, match="not a date"):
        call_command("reconcile", "--since", "yesterday")
    with pytest.raises(CommandError, match="No retailer"):
        call_command("reconcile", "--retailer", "999999")


# --- The admin screen -------------------------------------------------------------------------


def test_the_admin_sees_the_last_nightly_result_and_can_check_now(store, client):
    client.force_login(store.admin)
    page = client.get(reverse("reconciliation")).content.decode()
    assert "No check has run yet" in page
    store.sale(0, 1)
    stray = factories.PurchaseFactory(card=Card.objects.get(owner=store.owner))
    assert reconcile_books_task.apply().get()[store.retailer.pk] == 1
    page = client.get(reverse("reconciliation")).content.decode()
    assert "1 discrepancy" in page and "purchase_provenance" in page
    assert f"purchase {stray.pk}" in page and "Run by: nightly" in page
    Purchase.objects.filter(pk=stray.pk).delete()
    page = client.post(reverse("reconcile_now"), follow=True).content.decode()
    assert "OK: no discrepancies." in page and "Run by: screen" in page


def test_a_cashier_gets_403_and_another_store_sees_none_of_ours(store, client, other_retailer):
    store.sale(0, 1)
    factories.PurchaseFactory(card=Card.objects.get(owner=store.owner))
    reconcile_books_task.apply()
    cashier = factories.UserFactory(retailer=store.retailer, role="cashier")
    client.force_login(cashier)
    assert client.get(reverse("reconciliation")).status_code == 403
    assert client.post(reverse("reconcile_now")).status_code == 403
    client.force_login(factories.UserFactory(retailer=other_retailer, role="admin"))
    page = client.get(reverse("reconciliation")).content.decode()
    assert "OK: no discrepancies." in page and "purchase_provenance" not in page


def test_the_beat_runs_reconcile_nightly_and_the_window_sweep(settings):
    from astro_site.celery import app

    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"loyalty.tasks.reconcile_books_task", "loyalty.tasks.expire_cards_task"} <= schedule
    assert {"loyalty.tasks.reconcile_books_task", "loyalty.tasks.expire_cards_task"} <= set(
        app.tasks
    )
