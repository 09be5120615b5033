"""Offers apply by themselves to API sales; coupons and point rewards are accepted or declined."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.models import Offer, OfferRedemption, PointReward
from loyalty.services.coupons import issue_coupon
from loyalty.services.offers import offer_discount
from loyalty.services.owners import link_pos_customer
from loyalty.services.points import points_balance
from loyalty.tests import factories

from .test_sales import sale


@pytest.fixture
def owner(api_retailer):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    return owner


def make_offer(retailer, item, **fields):
    values = {
        "name": "Acana BOGO",
        "kind": "bogo",
        "starts_at": timezone.now() - timedelta(days=10),
        **fields,
    }
    offer = Offer.objects.create(**values)
    offer.qualifying_items.add(item)
    offer.retailers.add(retailer)
    return offer


def test_a_running_bogo_offer_applies_by_itself_and_is_recorded_once(api, api_retailer, owner):
    item = factories.ItemFactory()
    make_offer(api_retailer, item)
    body = api.post("/api/v1/sales/", sale(item, quantity=2, price="20.00")).json()
    [applied] = body["offers_applied"]
    assert (applied["name"], applied["times"], applied["discount"]) == ("Acana BOGO", 1, "20.00")
    api.post("/api/v1/sales/", sale(item, quantity=2, price="20.00"))  # a repeat
    redemption = OfferRedemption.objects.get()
    assert (redemption.owner, redemption.reward_id) == (owner, applied["reward_id"])


def test_an_offer_is_judged_at_the_sales_own_time(api, api_retailer, owner):
    item = factories.ItemFactory()
    make_offer(api_retailer, item, ends_at=timezone.now() - timedelta(days=2))
    late = sale(item, quantity=2, when=timezone.now() - timedelta(days=3))
    assert len(api.post("/api/v1/sales/", late).json()["offers_applied"]) == 1
    today = sale(item, sale_id="S-2", quantity=2)
    assert api.post("/api/v1/sales/", today).json()["offers_applied"] == []


def test_an_offer_the_store_does_not_run_does_not_apply(api, other_retailer, owner):
    item = factories.ItemFactory()
    make_offer(other_retailer, item)
    assert api.post("/api/v1/sales/", sale(item, quantity=2)).json()["offers_applied"] == []


def test_dollars_off_counts_every_n_units_up_to_the_visit_limit():
    prices = [Decimal("10")] * 5
    assert offer_discount(
        kind="dollars_off",
        buy_quantity=2,
        amount_off=Decimal("5"),
        max_per_visit=2,
        unit_prices=prices,
    ) == (2, Decimal("10"))
    assert offer_discount(
        kind="bogo",
        buy_quantity=1,
        amount_off=None,
        max_per_visit=3,
        unit_prices=[Decimal("9"), Decimal("4"), Decimal("7"), Decimal("5")],
    ) == (2, Decimal("9"))  # the two cheapest units are free


def test_loyalty_lists_running_offers_and_available_coupons(api, api_retailer, owner):
    make_offer(api_retailer, factories.ItemFactory(), name="Spring rebate")
    issue_coupon(owner=owner, name="$5 birthday", amount_off=Decimal("5"))
    body = api.get("/api/v1/links/C-1/loyalty").json()
    assert [o["name"] for o in body["offers"]] == ["Spring rebate"]
    assert [(c["name"], c["amount_off"]) for c in body["coupons"]] == [("$5 birthday", "5.00")]


def coupon_url(coupon, decision):
    return f"/api/v1/links/C-1/coupons/{coupon.pk}/{decision}"


def test_a_coupon_is_used_once(api, owner):
    coupon = issue_coupon(owner=owner, name="$5 birthday", amount_off=Decimal("5"))
    accepted = api.post(coupon_url(coupon, "accept"), {})
    assert accepted.status_code == 200
    assert accepted.json()["reward_id"] == coupon.reward_id
    assert accepted.json()["amount_off"] == "5.00"
    again = api.post(coupon_url(coupon, "accept"), {})
    assert again.status_code == 409
    assert api.get("/api/v1/links/C-1/loyalty").json()["coupons"] == []


def test_a_declined_coupon_stays_available(api, owner):
    coupon = issue_coupon(owner=owner, name="$5 birthday", amount_off=Decimal("5"))
    response = api.post(coupon_url(coupon, "decline"), {})
    assert response.json()["decision"] == "declined"
    assert len(api.get("/api/v1/links/C-1/loyalty").json()["coupons"]) == 1


def test_an_expired_coupon_is_refused(api, owner):
    coupon = issue_coupon(
        owner=owner,
        name="Old",
        amount_off=Decimal("5"),
        expires_at=timezone.now() - timedelta(days=1),
    )
    response = api.post(coupon_url(coupon, "accept"), {})
    assert response.status_code == 422
    assert "expired" in response.json()["message"]


def test_another_customers_or_retailers_coupon_is_not_found(api, other_api, api_retailer, owner):
    someone = factories.PetOwnerFactory(retailer=api_retailer)
    theirs = issue_coupon(owner=someone, name="Not yours", amount_off=Decimal("5"))
    assert api.post(coupon_url(theirs, "accept"), {}).status_code == 404
    mine = issue_coupon(owner=owner, name="Mine", amount_off=Decimal("5"))
    assert other_api.post(coupon_url(mine, "accept"), {}).status_code == 404
    assert api.post(coupon_url(mine, "maybe"), {}).status_code == 404


def test_a_point_reward_uses_its_points_or_says_how_many_are_missing(api, api_retailer, owner):
    reward = PointReward.objects.create(retailer=api_retailer, name="$5 off", points_required=100)
    url = f"/api/v1/links/C-1/point-rewards/{reward.pk}/accept"
    refused = api.post(url, {})
    assert refused.status_code == 422
    assert refused.json()["message"] == "“$5 off” needs 100 points; this pet owner has 0."
    owner.points_entries.create(retailer=api_retailer, kind="earned", points=150)
    declined = api.post(f"/api/v1/links/C-1/point-rewards/{reward.pk}/decline", {})
    assert declined.json()["points_balance"] == 150
    accepted = api.post(url, {})
    assert accepted.status_code == 200
    assert (accepted.json()["points_spent"], accepted.json()["points_balance"]) == (100, 50)
    assert points_balance(owner) == 50


def test_another_retailers_point_reward_is_not_found(api, other_retailer, owner):
    reward = PointReward.objects.create(retailer=other_retailer, name="Theirs", points_required=1)
    assert api.post(f"/api/v1/links/C-1/point-rewards/{reward.pk}/accept", {}).status_code == 404
