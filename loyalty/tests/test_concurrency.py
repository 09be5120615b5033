"""Races for real on PostgreSQL: threads released together by a barrier (SPEC §8)."""

from loyalty.errors import AlreadyRedeemed
from loyalty.models import Card, Purchase, Redemption, VisitLine
from loyalty.services.cards import add_purchases
from loyalty.services.redemptions import redeem_card
from loyalty.services.sales import import_sale_line, start_visit
from loyalty.tests import factories
from loyalty.tests.races import POSTGRES_ONLY, race

pytestmark = POSTGRES_ONLY
THREADS = 4


def test_simultaneous_redemptions_of_one_card_give_exactly_one():
    retailer = factories.RetailerFactory()
    owner = factories.PetOwnerFactory(retailer=retailer)
    program_card = factories.enrolled_card(retailer, required=2)
    item = program_card.redeemable_items.get()
    add_purchases(owner=owner, program_card=program_card, quantity=2, item=item)
    card = Card.objects.get(owner=owner)

    results = race(lambda i: redeem_card(card=card, item_id=item.pk))

    assert sum(isinstance(r, Redemption) for r in results) == 1
    assert sum(isinstance(r, AlreadyRedeemed) for r in results) == THREADS - 1
    assert Redemption.objects.filter(card=card).count() == 1


def test_simultaneous_imports_of_one_sale_line_punch_once():
    retailer = factories.RetailerFactory()
    owner = factories.PetOwnerFactory(retailer=retailer)
    program_card = factories.enrolled_card(retailer, required=12)
    upc = program_card.qualifying_items.get().upc
    visits = [
        start_visit(retailer=retailer, owner=owner, pos_system="lightspeed", pos_sale_id="900")
        for _ in range(THREADS)
    ]

    results = race(
        lambda i: import_sale_line(visit=visits[i], pos_line_id="1", codes=[upc], quantity=3)
    )

    outcomes = sorted(r.outcome for r in results)
    assert outcomes == ["possible_existing"] * (THREADS - 1) + ["punched"]
    assert Purchase.objects.filter(card__owner=owner).count() == 3
    assert VisitLine.objects.filter(first_import__isnull=True).count() == 1


def test_simultaneous_purchases_for_one_owner_lose_no_punch():
    retailer = factories.RetailerFactory()
    owner = factories.PetOwnerFactory(retailer=retailer)
    program_card = factories.enrolled_card(retailer, required=5)

    results = race(lambda i: add_purchases(owner=owner, program_card=program_card, quantity=3))

    assert not [r for r in results if isinstance(r, Exception)]
    cards = Card.objects.filter(owner=owner).order_by("id")
    counts = [(c.status, c.purchases.count()) for c in cards]
    # 12 punches on cards of 5: two complete cards and one open card with 2.
    assert counts == [("complete", 5), ("complete", 5), ("open", 2)]
