"""POST /api/v1/sales/quote/: an open sale learns its offers before payment, and nothing is
recorded; decisions on coupons and point rewards take an Idempotency-Key like sales do."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.models import OfferRedemption, PointReward, Visit
from loyalty.services.coupons import issue_coupon
from loyalty.services.owners import link_pos_customer
from loyalty.services.points import points_balance
from loyalty.tests import factories

from .test_offers_coupons import make_offer
from .test_sales import sale

QUOTE = "/api/v1/sales/quote/"


@pytest.fixture
def owner(api_retailer):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    return owner


def lines_of(payload):
    return {"lines": payload["lines"]}


def test_a_quote_names_the_offer_the_paid_sale_then_gets(api, api_retailer, owner):
    item = factories.ItemFactory()
    offer = make_offer(api_retailer, item)
    open_sale = sale(item, quantity=2, price="20.00")
    quoted = api.post(QUOTE, lines_of(open_sale))
    assert quoted.status_code == 200
    [offer_quote] = quoted.json()["offers"]
    assert offer_quote == {
        "offer_id": offer.pk,
        "name": "Acana BOGO",
        "kind": "bogo",
        "times": 1,
        "discount": "20.00",
        "line_ids": ["1"],
    }
    assert quoted.json()["discount_total"] == "20.00"
    assert not Visit.objects.exists() and not OfferRedemption.objects.exists()
    [applied] = api.post("/api/v1/sales/", open_sale).json()["offers_applied"]
    assert (applied["offer_id"], applied["discount"]) == (offer.pk, offer_quote["discount"])


def test_a_quote_counts_units_across_lines_and_leaves_out_returns(api, api_retailer):
    cheap, dear = factories.ItemFactory(), factories.ItemFactory()
    offer = make_offer(api_retailer, cheap, max_per_visit=3)
    offer.qualifying_items.add(dear)
    payload = sale(cheap, quantity=1, price="10.00")
    payload["lines"] += [
        {**payload["lines"][0], "line_id": "2", "upc": dear.upc, "unit_price": "30.00"},
        {**payload["lines"][0], "line_id": "3", "quantity": -4},
        {**payload["lines"][0], "line_id": "4", "upc": "", "item_number": "NOT-AN-ITEM"},
    ]
    [offer_quote] = api.post(QUOTE, lines_of(payload)).json()["offers"]
    # Two units sold (the return earns nothing): one BOGO, the cheaper unit free.
    assert (offer_quote["times"], offer_quote["discount"]) == (1, "10.00")
    assert offer_quote["line_ids"] == ["1", "2"]


def test_a_quote_is_judged_at_the_time_given(api, api_retailer):
    item = factories.ItemFactory()
    make_offer(api_retailer, item, ends_at=timezone.now() - timedelta(days=2))
    payload = lines_of(sale(item, quantity=2))
    assert api.post(QUOTE, payload).json()["offers"] == []
    earlier = {**payload, "completed_at": (timezone.now() - timedelta(days=3)).isoformat()}
    assert len(api.post(QUOTE, earlier).json()["offers"]) == 1


def test_another_stores_offer_is_not_quoted(api, other_retailer):
    item = factories.ItemFactory()
    make_offer(other_retailer, item)
    answer = api.post(QUOTE, lines_of(sale(item, quantity=2))).json()
    assert (answer["offers"], answer["discount_total"]) == ([], "0.00")


def test_a_bad_quote_says_which_line_is_wrong(api):
    body = {"lines": [{"line_id": "1", "upc": "1", "quantity": 0, "unit_price": "1.00"}]}
    response = api.post(QUOTE, body)
    assert response.status_code == 400
    assert "lines[0].quantity" in response.json()["fields"]
    assert api.post(QUOTE, {"lines": []}).status_code == 400


def test_a_point_reward_accepted_twice_with_one_key_is_spent_once(api, api_retailer, owner):
    owner.points_entries.create(retailer=api_retailer, kind="earned", points=300)
    reward = PointReward.objects.create(retailer=api_retailer, name="$5", points_required=100)
    path = f"/api/v1/links/C-1/point-rewards/{reward.pk}/accept"
    first = api.post(path, {}, headers={"Idempotency-Key": "reg-1-sale-7-reward"})
    again = api.post(path, {}, headers={"Idempotency-Key": "reg-1-sale-7-reward"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert points_balance(owner) == 200
    # Without a key each call is a new decision, as before.
    api.post(path, {})
    assert points_balance(owner) == 100


def test_a_coupon_accepted_again_with_its_key_replays_the_first_answer(api, owner):
    coupon = issue_coupon(owner=owner, name="$5 off", amount_off=Decimal("5"))
    path = f"/api/v1/links/C-1/coupons/{coupon.pk}/accept"
    first = api.post(path, {}, headers={"Idempotency-Key": "reg-1-sale-8-coupon"})
    again = api.post(path, {}, headers={"Idempotency-Key": "reg-1-sale-8-coupon"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["reward_id"] == coupon.reward_id
    # A new key is a new decision: the coupon is used already.
    assert api.post(path, {}, headers={"Idempotency-Key": "another"}).status_code == 409
