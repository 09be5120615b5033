"""The loyalty and redeemable answers read a fixed number of queries, however much an owner has."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loyalty.models import Offer, PointReward
from loyalty.services.cards import add_purchases
from loyalty.services.coupons import issue_coupon
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories


@pytest.fixture
def owner(api_retailer):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    return owner


def queries(api, path: str) -> int:
    api.get(path)  # the first call of a key may also note when the key was last used
    with CaptureQueriesContext(connection) as read:
        assert api.get(path).status_code == 200
    return len(read)


def give(owner, *, complete: bool) -> None:
    """One more card (of a new program), one more coupon, point reward and running offer."""
    retailer = owner.retailer
    items = [factories.ItemFactory(), factories.ItemFactory()]
    program_card = factories.enrolled_card(retailer, required=2, items=items)
    add_purchases(
        owner=owner, program_card=program_card, quantity=2 if complete else 1, item=items[0]
    )
    issue_coupon(owner=owner, name=f"Coupon {program_card.pk}", amount_off=Decimal("5"))
    PointReward.objects.create(
        retailer=retailer, name=f"Reward {program_card.pk}", points_required=100
    )
    offer = Offer.objects.create(
        name=f"Offer {program_card.pk}", kind="bogo", starts_at=timezone.now() - timedelta(1)
    )
    offer.retailers.add(retailer)


def test_the_loyalty_answer_reads_the_same_queries_for_one_card_or_many(api, owner):
    give(owner, complete=False)
    one = queries(api, "/api/v1/links/C-1/loyalty")
    for complete in (True, False, True):
        give(owner, complete=complete)
    assert len(api.get("/api/v1/links/C-1/loyalty").json()["cards"]) == 4
    assert queries(api, "/api/v1/links/C-1/loyalty") == one


def test_redeemable_cards_read_the_same_queries_for_one_card_or_many(api, owner):
    give(owner, complete=True)
    one = queries(api, "/api/v1/links/C-1/redeemable")
    give(owner, complete=True)
    give(owner, complete=True)
    cards = api.get("/api/v1/links/C-1/redeemable").json()
    assert [len(card["items"]) for card in cards] == [2, 2, 2]
    assert queries(api, "/api/v1/links/C-1/redeemable") == one


def sale_of(items, sale_id: str) -> dict:
    """A finalized sale with one line per item (each item punches a card of its own)."""
    lines = [
        {"line_id": str(n), "upc": item.upc, "quantity": 1, "unit_price": "5.00"}
        for n, item in enumerate(items)
    ]
    amount = f"{5 * len(items)}.00"
    return {
        "pos_sale_id": sale_id,
        "pos_customer_id": "C-1",
        "completed_at": timezone.now().isoformat(),
        "subtotal": amount,
        "total": amount,
        "lines": lines,
    }


@pytest.mark.parametrize("lines", [1, 50])
def test_a_sale_posts_in_the_same_queries_for_one_line_or_fifty(
    api, owner, django_assert_num_queries, lines
):
    items = []
    for _ in range(lines):  # each line completes a card of its own: the most work per line
        item = factories.ItemFactory()
        factories.enrolled_card(owner.retailer, required=1, items=[item])
        items.append(item)
    api.get("/api/v1/links/C-1/loyalty")  # the key's first call notes when it was last used
    # The key, the link with the owner's lock, the visit, the items, the cards they qualify
    # for (with the enrollments and programs), the lines (no savepoint), the open cards, the
    # new cards, the punches, the points (one INSERT), the offers, the answer's balance,
    # cards, rewards and coupons (one statement), and the answer kept under the sale's id
    # (one INSERT, no savepoint).
    with django_assert_num_queries(15):
        response = api.post("/api/v1/sales/", sale_of(items, f"S-{lines}"))
    assert response.status_code == 201, response.content
    assert len(response.json()["cards_completed"]) == lines


@pytest.mark.parametrize("cards", [1, 50])
def test_the_loyalty_answer_reads_the_same_queries_for_one_card_or_fifty(
    api, owner, django_assert_num_queries, cards
):
    for _ in range(cards):
        item = factories.ItemFactory()
        program_card = factories.enrolled_card(owner.retailer, required=3, items=[item])
        add_purchases(owner=owner, program_card=program_card, quantity=1, item=item)
    api.get("/api/v1/links/C-1/loyalty")  # the key's first call notes when it was last used
    # The key, then the link with the balance, the cards with their punches, rewards, coupons
    # and offers in one statement.
    with django_assert_num_queries(2):
        answer = api.get("/api/v1/links/C-1/loyalty").json()
    assert len(answer["cards"]) == cards


def test_the_loyalty_read_writes_nothing_after_the_keys_first_call_of_the_minute(api, owner):
    give(owner, complete=True)
    api.get("/api/v1/links/C-1/loyalty")  # notes when the key was last used (once a minute)
    with CaptureQueriesContext(connection) as read:
        assert api.get("/api/v1/links/C-1/loyalty").status_code == 200
    statements = [q["sql"].lstrip().split()[0] for q in read.captured_queries]
    assert statements == ["SELECT"] * len(statements)
