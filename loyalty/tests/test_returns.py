"""Returns take back the most recent matching purchase (SPEC §3 Returns)."""

import pytest

from loyalty.models import Card, Purchase, ReopenRequest
from loyalty.services.cards import add_purchases, return_purchase
from loyalty.services.redemptions import redeem_card
from loyalty.tests import factories


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer)


def test_a_return_removes_the_most_recent_matching_purchase(owner, retailer):
    card = factories.enrolled_card(retailer)
    item = card.qualifying_items.get()
    older = add_purchases(owner=owner, program_card=card, quantity=1, item=item)[0]
    newer = add_purchases(owner=owner, program_card=card, quantity=1, item=item)[0]
    result = return_purchase(owner=owner, item=item)
    assert result.outcome == "returned"
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.state, newer.state) == ("active", "returned")


def test_a_return_with_no_matching_purchase_changes_nothing(owner, retailer):
    card = factories.enrolled_card(retailer)
    add_purchases(owner=owner, program_card=card, quantity=2, item=card.qualifying_items.get())
    other_item = factories.ItemFactory()
    before = list(Purchase.objects.values_list("id", "state"))
    result = return_purchase(owner=owner, item=other_item)
    assert result.outcome == "no_match"
    assert "No purchase" in result.message
    assert list(Purchase.objects.values_list("id", "state")) == before


def test_a_return_after_redemption_records_a_reopen_request(owner, retailer):
    card = factories.enrolled_card(retailer, required=2)
    item = card.qualifying_items.get()
    add_purchases(owner=owner, program_card=card, quantity=2, item=item)
    owner_card = Card.objects.get(owner=owner)
    redemption = redeem_card(card=owner_card, item_id=item.pk)
    result = return_purchase(owner=owner, item=item)
    assert result.outcome == "reopen_requested"
    request = ReopenRequest.objects.get()
    assert request.redemption == redemption
    owner_card.refresh_from_db()
    assert owner_card.status == "redeemed"  # history is not edited silently


def test_the_same_redeemed_purchase_is_not_requested_twice(owner, retailer):
    card = factories.enrolled_card(retailer, required=1)
    item = card.qualifying_items.get()
    add_purchases(owner=owner, program_card=card, quantity=1, item=item)
    redeem_card(card=Card.objects.get(), item_id=item.pk)
    assert return_purchase(owner=owner, item=item).outcome == "reopen_requested"
    assert return_purchase(owner=owner, item=item).outcome == "no_match"
    assert ReopenRequest.objects.count() == 1


def test_a_return_from_a_complete_card_pulls_a_punch_back_from_the_next_card(owner, retailer):
    a, b = factories.ItemFactory(), factories.ItemFactory()
    card = factories.enrolled_card(retailer, required=3, items=[a, b])
    add_purchases(owner=owner, program_card=card, quantity=2, item=a)
    add_purchases(owner=owner, program_card=card, quantity=1, item=b)  # completes card 1
    add_purchases(owner=owner, program_card=card, quantity=1, item=a)  # card 2: 1/3
    # Make the b purchase on the complete card the most recent one.
    Purchase.objects.filter(item=b).update(purchased_at="2099-01-01T00:00:00Z")
    return_purchase(owner=owner, item=b)
    first, second = Card.objects.filter(owner=owner).order_by("id")
    assert first.status == "complete"
    assert first.purchases.filter(state="active").count() == 3
    assert not Card.objects.filter(pk=second.pk, purchases__state="active").exists()


def test_a_return_from_a_complete_card_with_no_next_card_reopens_it(owner, retailer):
    card = factories.enrolled_card(retailer, required=2)
    item = card.qualifying_items.get()
    add_purchases(owner=owner, program_card=card, quantity=2, item=item)
    return_purchase(owner=owner, item=item)
    [only] = Card.objects.filter(owner=owner)
    assert only.status == "open"
    assert only.purchases.filter(state="active").count() == 1
