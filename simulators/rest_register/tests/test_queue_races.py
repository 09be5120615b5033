"""The button and the scheduled task send the queue at the same moment (PostgreSQL): Astro
records each sale once and the register keeps one answer for each request."""

from loyalty.models import Purchase, Visit
from loyalty.tests.races import POSTGRES_ONLY, race
from simulators.rest_register import outbox, payment, sales
from simulators.rest_register.models import EntryState, OutboxEntry, RegisterStore, Sale

from .conftest import RED, customer

pytestmark = POSTGRES_ONLY


def test_four_senders_at_once_deliver_each_queued_sale_once(register, astro):
    RegisterStore.objects.filter(pk=register.pk).update(astro_unreachable=True)
    register.refresh_from_db()
    for _ in range(3):
        sale = sales.open_sale(register, customer(register, "POS-1000"))
        sales.add_product(sale, RED)
        assert payment.pay(sale, "Cash").report.waiting
    RegisterStore.objects.filter(pk=register.pk).update(astro_unreachable=False)

    reports = race(lambda _i: outbox.send_queue(RegisterStore.objects.get(pk=register.pk)))

    assert not [r for r in reports if isinstance(r, Exception)], reports
    assert sum(r.sent for r in reports) == 3  # each entry marked sent by one sender only
    assert Visit.objects.filter(pos_system="pinogy").count() == 3
    assert set(OutboxEntry.objects.values_list("state", flat=True)) == {EntryState.SENT}
    assert Purchase.objects.filter(card__owner=astro.sally, state="active").count() == 15


def test_four_pays_of_one_sale_at_once_pay_it_once(register):
    sale = sales.open_sale(register, customer(register, "POS-1000"))
    sales.add_product(sale, RED)

    results = race(lambda _i: payment.pay(Sale.objects.get(pk=sale.pk), "Card"))

    paid = [r for r in results if not isinstance(r, Exception)]
    assert len(paid) == 1, results
    assert all(isinstance(r, sales.RegisterError) for r in results if r not in paid)
    assert OutboxEntry.objects.count() == 1
    assert Visit.objects.filter(pos_sale_id=sale.pos_sale_id).count() == 1
    assert register.products.get(upc=RED).stock == 4
