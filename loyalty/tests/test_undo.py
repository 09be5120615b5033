"""Undo of a redemption (SPEC §3): Undo before Finished on the Finish screen, Remove Only and
Remove and Reselect on the owner's History; the distributor's report withdrawn while pending,
corrected once sent."""

import pytest
from django.urls import reverse

from integrations import memory
from loyalty.errors import DomainError
from loyalty.models import AuditEvent, Card, DistributorReport, Redemption
from loyalty.services.distributor_reports.sending import send_due_reports, send_report
from loyalty.services.redemptions import redeem_card
from loyalty.services.undo import reselect_redemption, undo_redemption
from loyalty.tests import factories

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def in_memory_distributor(settings):
    """Reports are delivered to the in-memory twin, sent only when a test sends them."""
    settings.DISTRIBUTOR_DELIVERY = "integrations.memory.deliver"
    settings.DISTRIBUTOR_REPORT_QUEUE = "loyalty.tests.test_undo.not_queued"
    memory.reset()
    yield
    memory.reset()


def not_queued(report_id: str) -> None:
    """The after-commit send is left to the test (send_report / send_due_reports)."""


@pytest.fixture
def items():
    return [factories.ItemFactory(description=f"Kibble {n}", size="") for n in (1, 2)]


@pytest.fixture
def visit(retailer, location, cashier_user, items):
    program_card = factories.enrolled_card(retailer, required=2, items=items)
    enrollment = retailer.enrollments.get()
    enrollment.distributor.delivery_method = "https"
    enrollment.distributor.endpoint_url = "https://distributor.example/reports/"
    enrollment.distributor.save()
    owner = factories.PetOwnerFactory(retailer=retailer)
    card = factories.CardFactory(owner=owner, program_card=program_card, status="complete")
    for item in items:
        factories.PurchaseFactory(card=card, item=item)
    return factories.VisitFactory(owner=owner, location=location, cashier=cashier_user)


def redeem(visit, cashier, item):
    card = Card.objects.get(owner=visit.owner)
    return redeem_card(
        card=card, item_id=item.pk, cashier=cashier, location=visit.location, visit=visit
    )


def kinds_delivered():
    return [(d["payload"]["kind"], d["payload"]["reward_id"]) for d in memory.deliveries]


def test_undo_before_finished_withdraws_a_pending_report_and_reopens_the_card(
    visit, cashier_user, items
):
    redemption = redeem(visit, cashier_user, items[0])
    result = undo_redemption(redemption=redemption, actor=cashier_user, visit=visit)
    assert result.withdrawn == 1 and result.corrections == 0
    card = Card.objects.get(owner=visit.owner)
    assert card.status == "complete" and card.purchases.filter(state="active").count() == 2
    assert DistributorReport.objects.get().state == "withdrawn"
    assert send_due_reports() == 0 and memory.deliveries == []  # never sent
    audit = AuditEvent.objects.get(action="redemption.undone")
    assert audit.data["reward_id"] == redemption.reward_id and audit.actor == cashier_user
    # The card can be redeemed again, with another item.
    again = redeem(visit, cashier_user, items[1])
    assert again.item == items[1]


def test_undo_after_the_report_was_sent_sends_one_cancellation(visit, cashier_user, items):
    redemption = redeem(visit, cashier_user, items[0])
    original = DistributorReport.objects.get()
    assert send_report(str(original.pk)) == "sent"
    result = undo_redemption(redemption=redemption, actor=cashier_user, visit=visit)
    assert result.corrections == 1 and result.withdrawn == 0
    assert send_due_reports() == 1
    correction = memory.deliveries[-1]["payload"]
    assert correction["kind"] == "cancel" and correction["correction"] == "cancel"
    assert correction["corrects"] == {
        "report_id": str(original.pk),
        "reward_id": redemption.reward_id,
        "item": {"description": items[0].description, "upc": items[0].gtin},
    }
    assert kinds_delivered() == [
        ("redemption", redemption.reward_id),
        ("cancel", redemption.reward_id),
    ]


def test_undo_happens_once(visit, cashier_user, items):
    redemption = redeem(visit, cashier_user, items[0])
    undo_redemption(redemption=redemption, actor=cashier_user, visit=visit)
    with pytest.raises(DomainError, match="already undone"):
        undo_redemption(redemption=redemption, actor=cashier_user, visit=visit)
    assert AuditEvent.objects.filter(action="redemption.undone").count() == 1


def test_undo_on_the_finish_screen_is_refused_once_the_visit_is_finished(
    visit, cashier_user, items
):
    redemption = redeem(visit, cashier_user, items[0])
    visit.state = "finished"
    visit.save()
    with pytest.raises(DomainError, match="owner's History"):
        undo_redemption(redemption=redemption, actor=cashier_user, visit=visit)
    assert Redemption.objects.get().undone_at is None


def test_remove_and_reselect_after_a_sent_report_sends_one_cancel_and_replace(
    visit, cashier_user, admin_user, items
):
    redemption = redeem(visit, cashier_user, items[0])
    send_due_reports()
    result = reselect_redemption(redemption=redemption, item_id=items[1].pk, actor=admin_user)
    new = result.replacement
    assert new.item == items[1] and new.replaces == redemption and new.reward_id
    assert Card.objects.get(owner=visit.owner).status == "redeemed"
    assert send_due_reports() == 1
    payload = memory.deliveries[-1]["payload"]
    assert payload["kind"] == "cancel_replace" and payload["reward_id"] == new.reward_id
    assert payload["item"]["description"] == items[1].description
    assert payload["corrects"]["reward_id"] == redemption.reward_id
    # One report and one correction: the replacement has no report of its own.
    assert DistributorReport.objects.count() == 2
    assert AuditEvent.objects.get(action="redemption.reselected").data["new_reward_id"] == (
        new.reward_id
    )


def test_remove_and_reselect_before_the_send_replaces_the_pending_report(
    visit, cashier_user, admin_user, items
):
    redemption = redeem(visit, cashier_user, items[0])
    result = reselect_redemption(redemption=redemption, item_id=items[1].pk, actor=admin_user)
    assert result.withdrawn == 1 and result.corrections == 0
    send_due_reports()
    # Only the replacement is ever sent, as a plain redemption report.
    assert kinds_delivered() == [("redemption", result.replacement.reward_id)]


def test_reselecting_the_same_item_is_refused(visit, cashier_user, admin_user, items):
    redemption = redeem(visit, cashier_user, items[0])
    with pytest.raises(DomainError, match="already given"):
        reselect_redemption(redemption=redemption, item_id=items[0].pk, actor=admin_user)
    assert Redemption.objects.get().undone_at is None


def test_the_finish_screen_offers_undo_beside_each_reward(
    cashier_client, visit, cashier_user, items
):
    redemption = redeem(visit, cashier_user, items[0])
    page = cashier_client.get(reverse("finish", args=[visit.pk])).content.decode()
    assert f"Undo reward {redemption.reward_id}" in page
    response = cashier_client.post(
        reverse("undo_reward", args=[visit.pk, redemption.pk]), **HX
    ).content.decode()
    assert f"Reward {redemption.reward_id} undone" in response
    assert "Redeem Selected Items" in response  # the card is back among the complete cards
    twice = cashier_client.post(reverse("undo_reward", args=[visit.pk, redemption.pk]), **HX)
    assert twice.status_code == 422 and "already undone" in twice.content.decode()


def test_history_offers_remove_only_and_remove_and_reselect_to_an_admin(
    admin_client, visit, cashier_user, items
):
    redemption = redeem(visit, cashier_user, items[0])
    visit.state = "finished"
    visit.save()
    url = reverse("owner_history", args=[visit.owner.pk])
    page = admin_client.get(url).content.decode()
    assert "Remove Only" in page and "Remove and Reselect" in page
    assert f'value="{items[1].pk}"' in page and f'value="{items[0].pk}"' not in page
    response = admin_client.post(
        reverse("history_correct", args=[visit.owner.pk, redemption.pk, "reselect"]),
        {"item": items[1].pk},
        follow=True,
    )
    text = response.content.decode()
    assert f"Reward {redemption.reward_id} replaced by" in text
    assert Redemption.objects.get(undone_at__isnull=True).item == items[1]
    new = Redemption.objects.get(undone_at__isnull=True)
    removed = admin_client.post(
        reverse("history_correct", args=[visit.owner.pk, new.pk, "remove"]), follow=True
    )
    assert "the card is complete again" in removed.content.decode()
    assert Card.objects.get(owner=visit.owner).status == "complete"


def test_another_stores_reward_cannot_be_undone(client, visit, cashier_user, items):
    redemption = redeem(visit, cashier_user, items[0])
    other = factories.UserFactory(role="admin")
    client.force_login(other)
    owner_id = visit.owner.pk
    url = reverse("history_correct", args=[owner_id, redemption.pk, "remove"])
    assert client.post(url).status_code == 404
    assert Redemption.objects.get().undone_at is None


def test_remove_only_after_a_sent_reselect_cancels_the_replacement(
    visit, cashier_user, admin_user, items
):
    redemption = redeem(visit, cashier_user, items[0])
    send_due_reports()
    new = reselect_redemption(
        redemption=redemption, item_id=items[1].pk, actor=admin_user
    ).replacement
    send_due_reports()
    result = undo_redemption(redemption=new, actor=admin_user)
    assert result.corrections == 1
    send_due_reports()
    last = memory.deliveries[-1]["payload"]
    assert last["kind"] == "cancel" and last["corrects"]["reward_id"] == new.reward_id
    assert [d["payload"]["kind"] for d in memory.deliveries] == [
        "redemption",
        "cancel_replace",
        "cancel",
    ]


def test_remove_only_before_a_reselect_went_out_cancels_the_original_instead(
    visit, cashier_user, admin_user, items
):
    redemption = redeem(visit, cashier_user, items[0])
    send_due_reports()
    new = reselect_redemption(
        redemption=redemption, item_id=items[1].pk, actor=admin_user
    ).replacement
    undo_redemption(redemption=new, actor=admin_user)  # the cancel-and-replace is still pending
    send_due_reports()
    kinds = [(d["payload"]["kind"], d["payload"].get("corrects", {}).get("reward_id")) for d in
             memory.deliveries]  # fmt: skip
    # The distributor hears of the original and its cancellation; the replacement never.
    assert kinds == [("redemption", None), ("cancel", redemption.reward_id)]


@pytest.mark.parametrize("answered", ["credited", "declined", "resubmitted"])
def test_undo_of_a_claim_the_distributor_answered_sends_one_cancellation(
    visit, cashier_user, items, answered
):
    redemption = redeem(visit, cashier_user, items[0])
    assert send_report(str(DistributorReport.objects.get().pk)) == "sent"
    DistributorReport.objects.update(state=answered)
    result = undo_redemption(redemption=redemption, actor=cashier_user, visit=visit)
    assert result.corrections == 1 and result.withdrawn == 0
    assert send_due_reports() == 1 and kinds_delivered()[-1] == ("cancel", redemption.reward_id)


def test_undo_of_a_resubmission_not_sent_yet_withdraws_it_and_cancels_the_claim(
    visit, cashier_user, items
):
    """Its first send reached the distributor, so the distributor hears of the undo."""
    redemption = redeem(visit, cashier_user, items[0])
    assert send_report(str(DistributorReport.objects.get().pk)) == "sent"
    DistributorReport.objects.update(state="pending", revision=1)
    result = undo_redemption(redemption=redemption, actor=cashier_user, visit=visit)
    assert result.withdrawn == 1 and result.corrections == 1
    assert send_due_reports() == 1
    assert [d["key"] for d in memory.deliveries][0] == str(
        redemption.reports.get(kind="redemption").pk
    )
    assert kinds_delivered() == [
        ("redemption", redemption.reward_id),
        ("cancel", redemption.reward_id),
    ]
