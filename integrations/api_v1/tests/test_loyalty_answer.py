"""The loyalty read's body, built from plain rows, is LoyaltySerializer's body byte for byte:
the serializer the OpenAPI document names, rendering `loyalty_state`, on the same owner."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from integrations.api_v1.responses import LoyaltySerializer
from loyalty.models import Card, Coupon, Offer, PointReward, PointsEntry
from loyalty.selectors.loyalty_state import loyalty_state
from loyalty.services.cards import add_purchases
from loyalty.services.coupons import issue_coupon
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories


def _serializer_body(owner) -> bytes:
    state = loyalty_state(retailer=owner.retailer, owner=owner)
    return JSONRenderer().render(LoyaltySerializer(state).data)


def _offer(retailer, name: str, **values) -> Offer:
    offer = Offer.objects.create(name=name, kind=values.pop("kind", "bogo"), **values)
    offer.retailers.add(retailer)
    return offer


def _everything(owner) -> None:
    """Cards open, complete, redeemed and of two programs of one name; rewards in and out of
    reach and turned off; coupons with and without an end, expired, used; offers running,
    ended, not started, turned off and of another store."""
    retailer, now = owner.retailer, timezone.now()
    items = [factories.ItemFactory(), factories.ItemFactory()]
    for required, quantity in ((2, 1), (2, 2), (3, 0), (5, 3)):
        card = factories.enrolled_card(retailer, required=required, items=items)
        if quantity:
            add_purchases(owner=owner, program_card=card, quantity=quantity, item=items[0])
        else:
            factories.CardFactory(owner=owner, program_card=card)
    Card.objects.filter(owner=owner).order_by("pk").filter(
        pk=Card.objects.filter(owner=owner, status="complete").order_by("pk")[0].pk
    ).update(status="redeemed")
    add_purchases(
        owner=owner,
        program_card=factories.enrolled_card(retailer, required=2, items=items),
        quantity=2,
        item=items[1],
    )
    PointsEntry.objects.create(retailer=retailer, owner=owner, kind="adjustment", points=150)
    PointReward.objects.create(retailer=retailer, name="Leash", points_required=100)
    PointReward.objects.create(retailer=retailer, name="Bed", points_required=500)
    PointReward.objects.create(retailer=retailer, name="Bowl", points_required=100)
    PointReward.objects.create(retailer=retailer, name="Off", points_required=1, is_active=False)
    issue_coupon(owner=owner, name="Five", amount_off=Decimal("5"), description="Any item")
    issue_coupon(owner=owner, name="Half", amount_off=Decimal("0.5"), expires_at=now + timedelta(3))
    issue_coupon(
        owner=owner,
        name="Exact",
        amount_off=Decimal("12.34"),
        expires_at=datetime(2099, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    issue_coupon(owner=owner, name="Gone", amount_off=Decimal("1"), expires_at=now - timedelta(1))
    used = issue_coupon(owner=owner, name="Used", amount_off=Decimal("2"))
    Coupon.objects.filter(pk=used.pk).update(redeemed_at=now)
    _offer(retailer, "Bogo", starts_at=now - timedelta(2), terms="Buy one")
    _offer(retailer, "Ends", starts_at=now - timedelta(2), ends_at=now + timedelta(1))
    _offer(retailer, "Over", starts_at=now - timedelta(9), ends_at=now - timedelta(1))
    _offer(retailer, "Later", starts_at=now + timedelta(1))
    _offer(retailer, "Paused", starts_at=now - timedelta(1), is_active=False)
    _offer(
        retailer,
        "Dollars",
        kind="dollars_off",
        buy_quantity=2,
        amount_off=Decimal("3"),
        starts_at=now - timedelta(1),
    )
    _offer(factories.RetailerFactory(), "Elsewhere", starts_at=now - timedelta(1))


def test_the_answer_is_the_serializers_byte_for_byte(api, api_retailer):
    owner = factories.PetOwnerFactory(retailer=api_retailer, first_name="Ann", last_name="Lee")
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    _everything(owner)
    answer = api.get("/api/v1/links/C-1/loyalty")
    assert answer.status_code == 200
    assert answer.content == _serializer_body(owner)
    body = json.loads(answer.content)
    assert [len(body[part]) for part in ("cards", "point_rewards", "coupons", "offers")] == [
        4,
        3,
        3,
        3,
    ]


def test_an_owner_with_nothing_is_the_serializers_too(api, api_retailer):
    owner = factories.PetOwnerFactory(retailer=api_retailer, first_name="", last_name="Solo")
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-2", actor=None)
    answer = api.get("/api/v1/links/C-2/loyalty")
    assert answer.content == _serializer_body(owner)
    assert json.loads(answer.content)["name"] == "Solo"
