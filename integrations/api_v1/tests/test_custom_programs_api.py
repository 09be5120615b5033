"""Seed 001: a My Custom Programs Buy X Get Y card punches through the REST integration, by the
item numbers the POS rings, and is redeemed there; test it with Sally Pet Owner, as the article
says: one purchase first, then fill up the card and redeem it."""

from decimal import Decimal

import pytest

from loyalty.models import Card, DistributorReport, Redemption
from loyalty.models.programs import ProgramKind, RewardKind
from loyalty.services.custom_programs import (
    BuyXGetYTerms,
    CodeEntry,
    ProgramDetails,
    create_program,
)
from loyalty.services.owners import ensure_test_owner, link_pos_customer
from loyalty.tests import factories

from .test_sales import sale


def wash_program(retailer, *, required: int, reward_kind=RewardKind.FREE_ITEM, amount=None):
    admin = factories.UserFactory(retailer=retailer, role="admin")
    return create_program(
        retailer=retailer,
        actor=admin,
        kind=ProgramKind.BUY_X_GET_Y,
        details=ProgramDetails(name="Self-wash club"),
        terms=BuyXGetYTerms(
            purchases_required=required,
            reward_kind=reward_kind,
            qualifying=[
                CodeEntry("SELFWASH-S", description="Self-wash small"),
                CodeEntry("SELFWASH-L", description="Self-wash large"),
            ],
            redeemable=[CodeEntry("SELFWASH-S")],
            discount_amount=amount,
        ),
    )


@pytest.fixture
def sally(api_retailer):
    owner = ensure_test_owner(api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    return owner


def wash_sale(sale_id: str, number: str, quantity: int):
    payload = sale(factories.ItemFactory.build(), sale_id=sale_id, quantity=quantity)
    payload["lines"][0].update(upc="", item_number=number, brand="", unit_price="15.00")
    return payload


def test_a_buy_x_get_y_card_punches_and_redeems_through_the_api(api, api_retailer, sally):
    # A full integration counts for the cashier, so X may be above the 30 a card shows.
    wash_program(api_retailer, required=32)
    first = api.post("/api/v1/sales/", wash_sale("S-1", "selfwash-l", 1)).json()
    [card] = first["cards"]
    assert (card["program"], card["progress"], first["lines"][0]["outcome"]) == (
        "Self-wash club",
        "1/32",
        "punched",
    )
    filled = api.post("/api/v1/sales/", wash_sale("S-2", "SELFWASH-S", 31)).json()
    assert filled["cards_completed"] == [card["card_id"]]
    [redeemable] = api.get("/api/v1/links/C-1/redeemable").json()
    assert [item["item_number"] for item in redeemable["items"]] == ["SELFWASH-S"]
    body = {
        "pos_customer_id": "C-1",
        "card_id": card["card_id"],
        "item_id": redeemable["items"][0]["item_id"],
    }
    redeemed = api.post("/api/v1/redemptions/", body)
    assert redeemed.status_code == 201
    assert redeemed.json()["reward_id"] == Redemption.objects.get().reward_id
    assert Card.objects.get(owner=sally, status="redeemed")
    # SPEC §2: custom program redemptions are never sent to distributors.
    assert not DistributorReport.objects.exists()


def test_a_discount_card_tells_the_pos_the_amount_before_and_after_redeeming(
    api, api_retailer, sally
):
    wash_program(
        api_retailer, required=2, reward_kind=RewardKind.DISCOUNT_ITEM, amount=Decimal("5.00")
    )
    api.post("/api/v1/sales/", wash_sale("S-1", "SELFWASH-L", 2))
    [card] = api.get("/api/v1/links/C-1/redeemable").json()
    assert (card["reward_kind"], card["discount_amount"]) == ("discount_item", "5.00")
    body = {
        "pos_customer_id": "C-1",
        "card_id": card["card_id"],
        "item_id": card["items"][0]["item_id"],
    }
    discount = api.post("/api/v1/redemptions/", body).json()["discount"]
    assert (discount["kind"], discount["amount"]) == ("amount_off", "5.00")
