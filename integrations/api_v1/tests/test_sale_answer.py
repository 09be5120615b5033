"""The sale's body, built from the pipeline's result and one read, is SaleOutSerializer's
rendering of `answers.sale_answer` byte for byte, on the same sale in the same transaction."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from integrations.api_v1 import sale_answer
from integrations.api_v1.answers import sale_answer as serializer_answer
from integrations.api_v1.responses import SaleOutSerializer
from integrations.api_v1.views import sales as sales_view
from loyalty.models import Offer, PointReward, PointsEntry
from loyalty.services.coupons import issue_coupon
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories


@pytest.fixture
def compared(monkeypatch):
    """Every sale body the view builds, beside the serializer's body of the same sale."""
    pairs = []

    def both(result, sale):
        body = sale_answer.sale_body(result, sale)
        answer = serializer_answer(retailer=result.visit.retailer, sale=sale, result=result)
        pairs.append(
            (JSONRenderer().render(body), JSONRenderer().render(SaleOutSerializer(answer).data))
        )
        return body

    monkeypatch.setattr(sales_view, "sale_body", both)
    return pairs


def line(n, item, quantity, price="10.00"):
    return {"line_id": str(n), "upc": item.upc, "quantity": quantity, "unit_price": price}


def post(api, sale_id, lines):
    total = sum(Decimal(x["unit_price"]) * x["quantity"] for x in lines)
    body = {
        "pos_sale_id": sale_id,
        "pos_customer_id": "C-1",
        "completed_at": (timezone.now() - timedelta(minutes=1)).isoformat(),
        "subtotal": str(total),
        "total": str(total),
        "lines": lines,
    }
    response = api.post("/api/v1/sales/", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_the_sale_answer_is_the_serializers_byte_for_byte(api, api_retailer, compared):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    food, toy, treat = factories.ItemFactory(), factories.ItemFactory(), factories.ItemFactory()
    factories.enrolled_card(api_retailer, required=3, items=[food])
    factories.enrolled_card(api_retailer, required=2, items=[toy])
    offer = Offer.objects.create(
        name="Treats", kind="bogo", starts_at=timezone.now() - timedelta(9)
    )
    offer.retailers.add(api_retailer)
    offer.qualifying_items.add(treat)
    PointsEntry.objects.create(retailer=api_retailer, owner=owner, kind="adjustment", points=40)
    for name, points in (("Leash", 50), ("Bed", 5000), ("Bowl", 50)):
        PointReward.objects.create(retailer=api_retailer, name=name, points_required=points)
    issue_coupon(owner=owner, name="Five", amount_off=Decimal("5"))
    issue_coupon(
        owner=owner,
        name="Soon",
        amount_off=Decimal("2.5"),
        expires_at=timezone.now() + timedelta(2),
    )
    unknown = {"line_id": "9", "item_number": "MISC", "quantity": 1, "unit_price": "1.00"}
    first = post(api, "S-1", [line(1, food, 4), line(2, toy, 1), line(3, treat, 2), unknown])
    assert first["cards_completed"] and first["offers_applied"] and first["point_rewards"]
    returned = post(api, "S-2", [line(1, food, -1), line(2, toy, 1)])
    assert returned["points_taken_back"] > 0
    post(api, "S-3", [unknown])
    assert len(compared) == 3
    for body, serializers in compared:
        assert body == serializers


def test_lines_say_why_they_did_not_punch_as_before(api, api_retailer, compared):
    """Matching in one query keeps each reason: not enrolled, a brand's other size, no program."""
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    on_card, other_size = factories.ItemFactory(), factories.ItemFactory()
    other_size.brand = on_card.brand
    other_size.save()
    card = factories.enrolled_card(api_retailer, required=3, items=[on_card])
    card.program.brand = on_card.brand
    card.program.save()
    not_enrolled = factories.ItemFactory()
    elsewhere = factories.ProgramCardFactory(items=[not_enrolled])
    lines = [line(1, on_card, 1), line(2, other_size, 1), line(3, not_enrolled, 1)]
    lines.append({"line_id": "4", "upc": "036000291452", "quantity": 1, "unit_price": "1.00"})
    body = post(api, "S-1", lines)
    assert [(x["outcome"], x["message"]) for x in body["lines"]] == [
        ("punched", "Card punched"),
        ("unknown", f"Looks like an item of {card.program.name}, but its size is not on the card."),
        (
            "unknown",
            f"The store is not enrolled in {elsewhere.program.name}.",
        ),
        ("unknown", "No program has this UPC or item number."),
    ]
    assert compared[0][0] == compared[0][1]
