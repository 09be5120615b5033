"""One sale pipeline (record_pos_sale) for every POS: a redirect press and a full integration's
post of the same sale punch, earn and return alike; they differ only in what `finalized` says."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.contracts.pos import PosCustomer, PosLine, PosSale
from loyalty.models import Card, PointsEntry, Purchase, Visit
from loyalty.services.checkout import confirm_return
from loyalty.services.sales import record_pos_sale
from loyalty.tests import factories


@pytest.fixture
def program_card(retailer):
    food = factories.ItemFactory(gtin="036000291452", description="Kibble 25 lb")
    return factories.enrolled_card(retailer, required=3, items=[food])


def sale(sale_id, *quantities, customer="77"):
    lines = tuple(
        PosLine(str(n), ("036000291452",), "Kibble 25 lb", quantity, Decimal("20.00"))
        for n, quantity in enumerate(quantities, start=1)
    )
    amount = sum((line.quantity * line.unit_price for line in lines), Decimal(0))
    return PosSale(
        sale_id=sale_id,
        customer=PosCustomer(pos_customer_id=customer),
        lines=lines,
        subtotal=amount,
        total=amount,
    )


def record(owner, location, pos_sale, *, finalized, sold_at=None, cashier=None):
    return record_pos_sale(
        owner=owner,
        location=location,
        pos_system="lightspeed" if not finalized else "pinogy",
        sale=pos_sale,
        finalized=finalized,
        sold_at=sold_at,
        cashier=cashier,
    )


def ledger(owner):
    cards = [
        (c.status, c.purchases.filter(state="active").count())
        for c in Card.objects.filter(owner=owner)
    ]
    return cards, sum(PointsEntry.objects.filter(owner=owner).values_list("points", flat=True))


def test_a_press_and_a_post_of_the_same_sale_punch_and_earn_alike(
    retailer, location, program_card, cashier_user
):
    pressed = factories.PetOwnerFactory(retailer=retailer)
    posted = factories.PetOwnerFactory(retailer=retailer)
    first = record(pressed, location, sale("1", 4), finalized=False, cashier=cashier_user)
    second = record(posted, location, sale("2", 4), finalized=True)
    assert ledger(pressed) == ledger(posted) == ([("complete", 3), ("open", 1)], 80)
    assert first.completed_card_ids and second.completed_card_ids
    assert (first.visit.state, second.visit.state) == ("open", "finished")


def test_an_exchange_returns_alike_once_the_cashier_confirms_the_return(
    retailer, location, program_card, cashier_user
):
    pressed = factories.PetOwnerFactory(retailer=retailer)
    posted = factories.PetOwnerFactory(retailer=retailer)
    for number, owner in enumerate((pressed, posted)):
        record(owner, location, sale(f"earlier-{number}", 2), finalized=True)
    press = record(pressed, location, sale("2", 1, -1), finalized=False, cashier=cashier_user)
    post = record(posted, location, sale("2", 1, -1), finalized=True)
    # Pressed: the returned line waits for Remove From Astro FBC; posted: it is final already.
    assert [line.outcome for line in press.lines] == ["punched", "return_pending"]
    assert [line.outcome for line in post.lines] == ["punched", "returned"]
    confirm_return(line=press.lines[1], cashier=cashier_user)
    assert ledger(pressed) == ledger(posted) == ([("open", 2)], 40)


def test_a_late_sale_keeps_its_own_time_on_the_visit_punches_and_points(
    retailer, location, program_card
):
    owner = factories.PetOwnerFactory(retailer=retailer)
    paid = timezone.now() - timedelta(days=3)
    result = record(owner, location, sale("late", 3), finalized=True, sold_at=paid)
    visit = Visit.objects.get(pk=result.visit.pk)
    card = Card.objects.get(owner=owner)
    assert visit.created_at == paid and card.completed_at == paid
    assert set(Purchase.objects.values_list("purchased_at", flat=True)) == {paid}
    assert set(PointsEntry.objects.values_list("created_at", flat=True)) == {paid}


def test_a_fee_line_is_never_merchandise(retailer, location, program_card):
    owner = factories.PetOwnerFactory(retailer=retailer)
    fee = PosLine("9", ("036000291452",), "Bag fee", 1, Decimal("0.10"), is_fee=True)
    with_fee = sale("1", 1)
    with_fee = PosSale(**{**with_fee.__dict__, "lines": (*with_fee.lines, fee)})
    result = record(owner, location, with_fee, finalized=True)
    assert [line.description for line in result.lines] == ["Kibble 25 lb"]
