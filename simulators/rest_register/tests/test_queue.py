"""When Astro cannot be reached the register queues what it owes and sends it later: in order,
each request once (its own Idempotency-Key), each sale with its own time (seed 000's scheduled
task). Astro is made unreachable for real: the client goes to a dead address."""

import io

import pytest
from django.core.management import CommandError, call_command

from loyalty.models import Redemption, Visit
from simulators.rest_register import outbox, payment, rewards, sales
from simulators.rest_register.customers import create_in_astro, read_tab, refresh_customer
from simulators.rest_register.models import EntryState, OutboxEntry

from .conftest import LEASH, POULTRY, RED, TREAT, customer

pytestmark = pytest.mark.django_db(transaction=True)


def unreachable(store, down=True):
    store.astro_unreachable = down
    store.save(update_fields=["astro_unreachable"])


def paid_sale(store, number, *codes):
    sale = sales.open_sale(store, customer(store, number))
    for code in codes:
        sales.add_product(sale, code)
    result = payment.pay(sale, "Cash")
    assert result.is_paid, result.prompts
    sale.refresh_from_db()
    return sale, result.report


def test_sales_paid_while_astro_is_down_arrive_later_in_order_once_with_their_own_times(
    register,
):
    unreachable(register)
    paid = []
    for _ in range(5):
        sale, report = paid_sale(register, "POS-1000", RED)
        assert report.waiting >= 1 and "cannot be reached" in report.error
        assert sale.offers_note == "Astro cannot be reached: offers were not checked."
        paid.append(sale)
    assert not Visit.objects.exists()
    unreachable(register, down=False)
    report = outbox.send_queue(register)
    assert (report.sent, report.waiting, report.refused) == (5, 0, 0)
    visits = list(Visit.objects.filter(pos_system="pinogy").order_by("pk"))
    assert [v.pos_sale_id for v in visits] == [s.pos_sale_id for s in paid]
    assert [v.created_at for v in visits] == [s.paid_at for s in paid]
    assert outbox.send_queue(register).sent == 0  # nothing is sent twice
    assert Visit.objects.count() == 5


def test_a_send_repeated_after_a_lost_answer_is_answered_once(register):
    sale, _report = paid_sale(register, "POS-1000", RED)
    entry = OutboxEntry.objects.get()
    first_answer = entry.answer
    # As if the register died before it could mark the entry sent.
    OutboxEntry.objects.filter(pk=entry.pk).update(state=EntryState.PENDING, answer=None)
    assert outbox.send_queue(register).sent == 1
    entry.refresh_from_db()
    assert entry.replayed and entry.answer == first_answer
    assert Visit.objects.filter(pos_sale_id=sale.pos_sale_id).count() == 1


def test_a_redemption_chosen_while_astro_is_down_is_sent_after_its_sale(register, astro):
    sally = customer(register, "POS-1000")
    refresh_customer(sally)  # the register keeps the last answer
    unreachable(register)
    sale = sales.open_sale(register, sally)
    tab = read_tab(sally)
    assert tab.state == "unreachable" and tab.as_of is not None
    card = tab.redeemable[0]
    rewards.redeem_onto_sale(sale, tab, card["card_id"], astro.bags[POULTRY].pk)
    sales.add_product(sale, LEASH)
    assert payment.pay(sale, "Card").report.waiting == 2
    unreachable(register, down=False)
    assert outbox.send_queue(register).sent == 2
    entries = list(OutboxEntry.objects.order_by("pk"))
    assert [e.path for e in entries] == ["sales/", "redemptions/"]
    redemption = Redemption.objects.get()
    assert sale.rewards.get(kind="redemption").reward_id == redemption.reward_id


def test_a_refused_request_does_not_hold_up_the_ones_after_it(register, astro):
    unreachable(register)
    refused, _ = paid_sale(register, "POS-1003", RED)  # Casey: not linked to Astro
    later, _ = paid_sale(register, "POS-1001", LEASH)
    unreachable(register, down=False)
    report = outbox.send_queue(register)
    assert (report.sent, report.refused) == (1, 1)
    entry = refused.outbox.get()
    assert entry.state == EntryState.REFUSED and "not linked" in entry.last_error
    assert Visit.objects.filter(pos_sale_id=later.pos_sale_id).exists()
    # Linked since, the cashier sends it again: it goes with the next send.
    create_in_astro(customer(register, "POS-1003"))
    outbox.send_again(entry)
    assert outbox.send_queue(register).sent == 1
    assert Visit.objects.filter(pos_sale_id=refused.pos_sale_id).exists()


def test_the_scheduled_task_sends_the_queue_and_fails_while_astro_is_down(register):
    out = io.StringIO()
    call_command("rest_register", "astro", "down", stdout=out)
    register.refresh_from_db()
    paid_sale(register, "POS-1000", RED)
    with pytest.raises(CommandError, match="still waiting"):
        call_command("rest_register", "send", stdout=out)
    call_command("rest_register", "astro", "up", stdout=out)
    call_command("rest_register", "send", stdout=out)
    assert "Uptown Pet Market: 1 sent to Astro." in out.getvalue()
    assert Visit.objects.count() == 1


def test_an_offer_astro_applies_to_a_late_sale_is_named_on_its_receipt(client, register):
    unreachable(register)
    sale, _report = paid_sale(register, "POS-1001", TREAT, TREAT)
    assert not sale.rewards.filter(kind="offer").exists()  # the till could not ask
    unreachable(register, down=False)
    outbox.send_queue(register)
    receipt = client.get(f"/sandbox/rest-register/sales/{sale.pk}/receipt/").content.decode()
    assert "Astro applied Fromm Buy One Get One Free" in receipt
    assert "the till could not give it" in receipt
