"""Redeemable items limited to the store's stock, redeeming a card once, tenant isolation."""

import pytest

from loyalty.models import Card, DistributorReport, Redemption
from loyalty.services.cards import add_purchases
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories


@pytest.fixture
def complete(api_retailer):
    """A linked owner with a complete card redeemable with one of two items."""
    bag, treat = factories.ItemFactory(item_number="BAG-1"), factories.ItemFactory()
    program_card = factories.enrolled_card(api_retailer, required=3, items=[bag, treat])
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    add_purchases(owner=owner, program_card=program_card, quantity=3, item=bag)
    card = Card.objects.get(owner=owner)
    return {"card": card, "bag": bag, "treat": treat, "owner": owner}


def redeem(api, complete, item=None, headers=None, **extra):
    body = {
        "pos_customer_id": "C-1",
        "card_id": complete["card"].card_number,
        "item_id": (item or complete["bag"]).pk,
        **extra,
    }
    return api.post("/api/v1/redemptions/", body, headers=headers)


def test_redeemable_lists_complete_cards_and_their_items(api, complete):
    response = api.get("/api/v1/links/C-1/redeemable")
    assert response.status_code == 200
    [card] = response.json()
    assert card["card_id"] == complete["card"].card_number
    assert card["progress"] == "3/3"
    assert {i["item_id"] for i in card["items"]} == {complete["bag"].pk, complete["treat"].pk}


def test_redeemable_is_limited_to_the_inventory_sent_with_the_request(api, complete):
    response = api.get("/api/v1/links/C-1/redeemable", {"inventory": complete["treat"].upc})
    assert [i["item_id"] for i in response.json()[0]["items"]] == [complete["treat"].pk]


def test_a_synced_inventory_limits_redeemable_items_and_redemptions(api, complete):
    synced = api.put("/api/v1/inventory/", {"codes": ["BAG-1", "NOT-AN-ITEM"]})
    assert synced.json() == {"codes": 2, "matched_items": 1}
    items = api.get("/api/v1/links/C-1/redeemable").json()[0]["items"]
    assert [i["item_id"] for i in items] == [complete["bag"].pk]
    refused = redeem(api, complete, item=complete["treat"])
    assert refused.status_code == 422
    assert refused.json()["code"] == "item_not_redeemable"


def test_redeeming_returns_the_reward_id_and_the_discount(api, complete):
    response = redeem(api, complete)
    assert response.status_code == 201
    body = response.json()
    redemption = Redemption.objects.get()
    assert body["reward_id"] == redemption.reward_id
    assert body["item"]["item_id"] == complete["bag"].pk
    assert body["discount"]["kind"] == "free_item"
    assert redemption.location == complete["owner"].retailer.locations.get()
    # SPEC §6: a manufacturer program's redemption is reported to the distributor.
    assert DistributorReport.objects.filter(redemption=redemption).count() == 1


def test_a_second_redemption_of_the_card_is_409(api, complete):
    assert redeem(api, complete).status_code == 201
    again = redeem(api, complete, item=complete["treat"])
    assert again.status_code == 409
    assert again.json()["code"] == "already_redeemed"
    assert Redemption.objects.count() == 1


def test_an_idempotency_key_replays_the_first_redemption(api, complete):
    headers = {"Idempotency-Key": "redeem-1"}
    first = redeem(api, complete, headers=headers)
    again = redeem(api, complete, headers=headers)
    assert again.status_code == 201
    assert again.json()["reward_id"] == first.json()["reward_id"]


def test_an_incomplete_card_is_422_with_its_progress(api, api_retailer):
    program_card = factories.enrolled_card(api_retailer, required=5)
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-2", actor=None)
    add_purchases(owner=owner, program_card=program_card, quantity=2)
    card = Card.objects.get(owner=owner)
    body = {
        "pos_customer_id": "C-2",
        "card_id": card.card_number,
        "item_id": program_card.redeemable_items.get().pk,
    }
    response = api.post("/api/v1/redemptions/", body)
    assert response.status_code == 422
    assert response.json()["code"] == "card_not_complete"
    assert "(2/5)" in response.json()["message"]


def test_a_card_of_another_customer_is_not_found(api, complete, api_retailer):
    someone = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=someone, pos_system="pinogy", pos_customer_id="C-3", actor=None)
    response = redeem(api, complete, pos_customer_id="C-3")
    assert response.status_code == 404
    assert not Redemption.objects.exists()


def test_another_retailers_key_gets_404_for_the_card(other_api, complete):
    # The rival store has its own customer C-1, and asks for the first store's card.
    rival = factories.PetOwnerFactory(retailer=other_api.retailer)
    link_pos_customer(owner=rival, pos_system="celerant", pos_customer_id="C-1", actor=None)
    response = redeem(other_api, complete)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Redemption.objects.exists()


def test_bad_redemption_input_says_what_to_fix(api, complete):
    response = redeem(api, complete, card_id="card forty-two")
    assert response.status_code == 400
    assert response.json()["message"].startswith("card_id:")
