"""The POS retries at the same moment: four threads, one import, one redemption (PostgreSQL)."""

import pytest
from django.test import Client
from django.utils import timezone

from integrations.api_v1.credentials import issue_key
from loyalty.models import Card, PointsEntry, Purchase, Redemption, Visit
from loyalty.services.cards import add_purchases
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories
from loyalty.tests.races import POSTGRES_ONLY, race

from .conftest import ApiCaller

pytestmark = POSTGRES_ONLY
THREADS = 4


@pytest.fixture
def setup():
    retailer = factories.RetailerFactory(pos_integration="pinogy")
    location = factories.LocationFactory(retailer=retailer)
    key = issue_key(location=location, actor=None).key
    program_card = factories.enrolled_card(retailer, required=12)
    owner = factories.PetOwnerFactory(retailer=retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    return {"key": key, "card": program_card, "owner": owner, "retailer": retailer}


def test_the_same_sale_from_four_threads_is_imported_once(setup):
    item = setup["card"].qualifying_items.get()
    payload = {
        "pos_sale_id": "S-1",
        "pos_customer_id": "C-1",
        "completed_at": timezone.now().isoformat(),
        "subtotal": "109.98",
        "total": "118.78",
        "lines": [{"line_id": "1", "upc": item.upc, "quantity": 2, "unit_price": "54.99"}],
    }
    results = race(lambda i: ApiCaller(Client(), setup["key"]).post("/api/v1/sales/", payload))
    assert [r.status_code for r in results] == [201] * THREADS
    assert all(r.json() == results[0].json() for r in results)
    assert sum(r.has_header("Idempotent-Replayed") for r in results) == THREADS - 1
    assert Visit.objects.count() == 1
    assert Purchase.objects.count() == 2
    assert PointsEntry.objects.filter(kind="earned").count() == 1


def test_four_simultaneous_redemptions_of_a_card_give_one_and_three_409s(setup):
    item = setup["card"].redeemable_items.get()
    add_purchases(owner=setup["owner"], program_card=setup["card"], quantity=12, item=item)
    card = Card.objects.get(owner=setup["owner"])
    payload = {"pos_customer_id": "C-1", "card_id": card.card_number, "item_id": item.pk}
    results = race(
        lambda i: ApiCaller(Client(), setup["key"]).post("/api/v1/redemptions/", payload)
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409]
    assert Redemption.objects.filter(card=card).count() == 1


def test_a_coupon_accepted_by_four_registers_at_once_is_used_once(setup):
    from decimal import Decimal

    from loyalty.models import Coupon
    from loyalty.services.coupons import issue_coupon

    coupon = issue_coupon(owner=setup["owner"], name="$5 off", amount_off=Decimal("5"))
    url = f"/api/v1/links/C-1/coupons/{coupon.pk}/accept"
    results = race(lambda i: ApiCaller(Client(), setup["key"]).post(url, {}))
    assert sorted(r.status_code for r in results) == [200, 409, 409, 409]
    assert Coupon.objects.get(pk=coupon.pk).redeemed_at is not None
