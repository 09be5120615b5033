"""SPEC §3 Undo under races, on PostgreSQL with real row locks: two Undo clicks at once undo
once; an Undo racing the catch-up send leaves the distributor's receiver (the sandbox, over real
HTTP) with exactly one report, or one report and one correction, never a withdrawn report sent
nor a sent one left uncorrected."""

import pytest

from loyalty.errors import DomainError
from loyalty.models import AuditEvent, Card, DistributorReport, Redemption
from loyalty.services.distributor_reports.sending import send_due_reports
from loyalty.services.redemptions import redeem_card
from loyalty.services.undo import reselect_redemption, undo_redemption
from loyalty.tests import factories
from loyalty.tests.races import POSTGRES_ONLY, race
from simulators.distributor.models import Delivery, ReceiverState

pytestmark = POSTGRES_ONLY


def not_queued(report_id: str) -> None:
    """Sends happen only where a test makes them (the catch-up), to race them."""


@pytest.fixture
def program_card(live_server, retailer, settings):
    settings.DISTRIBUTOR_REPORT_QUEUE = "loyalty.tests.test_undo_concurrency.not_queued"
    distributor = factories.DistributorFactory(
        delivery_method="https",
        endpoint_url=f"{live_server.url}/sandbox/distributor/reports/",
        signing_secret=settings.DISTRIBUTOR_SANDBOX_SECRET,
    )
    items = [factories.ItemFactory(description=f"Bag {n}") for n in (1, 2)]
    card = factories.ProgramCardFactory(purchases_required=2, items=items)
    factories.EnrollmentFactory(retailer=retailer, program=card.program, distributor=distributor)
    ReceiverState.current()
    return card


def redeemed(retailer, program_card) -> Redemption:
    owner = factories.PetOwnerFactory(retailer=retailer)
    card = factories.CardFactory(owner=owner, program_card=program_card, status="complete")
    first, _second = program_card.redeemable_items.order_by("pk")
    for _ in range(2):
        factories.PurchaseFactory(card=card, item=first)
    return redeem_card(card=card, item_id=first.pk)


def kinds_received() -> list[str]:
    return sorted(Delivery.objects.values_list("kind", flat=True))


def test_two_undo_clicks_at_once_undo_once(retailer, program_card, admin_user):
    redemption = redeemed(retailer, program_card)
    send_due_reports()
    results = race(lambda i: undo_redemption(redemption=redemption, actor=admin_user), threads=2)
    done = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(done) == 1 and len(refused) == 1, results
    assert "already undone" in refused[0].message
    assert AuditEvent.objects.filter(action="redemption.removed").count() == 1
    assert DistributorReport.objects.filter(kind="cancel").count() == 1
    send_due_reports()
    assert kinds_received() == ["cancel", "redemption"]
    assert Card.objects.get(pk=redemption.card_id).status == "complete"


@pytest.mark.parametrize("receiver", ["up", "slow"])
def test_an_undo_racing_the_catch_up_send_leaves_one_report_or_a_report_and_a_correction(
    retailer, program_card, admin_user, receiver
):
    ReceiverState.objects.filter(pk=1).update(mode=receiver, delay_seconds=0.3)
    for _round in range(4):
        Delivery.objects.all().delete()
        redemption = redeemed(retailer, program_card)
        other = program_card.redeemable_items.order_by("pk").last()

        def work(i: int, redemption=redemption, other=other):
            if i == 0:
                return send_due_reports()
            return reselect_redemption(redemption=redemption, item_id=other.pk, actor=admin_user)

        results = race(work, threads=2)
        assert not any(isinstance(r, Exception) for r in results), results
        while send_due_reports():
            pass
        kinds = kinds_received()
        # Withdrawn before it went out: only the replacement's report. Sent first: the report
        # and its one cancel-and-replace correction. Never both, never a lost correction.
        assert kinds in (["redemption"], ["cancel_replace", "redemption"]), kinds
        assert Delivery.objects.filter(posts__gt=1).count() == 0
    assert not DistributorReport.objects.filter(state="pending").exists()
