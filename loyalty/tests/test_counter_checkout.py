"""The checkout and Finish screens at the counter: point rewards (SPEC §2), Manage Loyalty
Points' adjustment with a reason, errors beside their control with the typed value kept, and the
multi-purchase pop-up keeping every answer."""

from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.models import AuditEvent, PointReward, PointsEntry, Purchase
from loyalty.services.points import points_balance
from loyalty.services.sales import SaleLine
from loyalty.tests import factories
from loyalty.tests.pos_sales import press_pos_button

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer, phone="+1 217 555 0123")


@pytest.fixture
def visit(owner, location, cashier_user):
    return press_pos_button(
        owner=owner, location=location, cashier=cashier_user, lines=[], subtotal=Decimal("0")
    )


@pytest.fixture
def five_off(retailer, owner, admin_user):
    PointsEntry.objects.create(retailer=retailer, owner=owner, kind="manual", points=911)
    return PointReward.objects.create(retailer=retailer, name="$5 off", points_required=250)


def test_checkout_shows_a_point_reward_in_reach_and_a_national_phone(
    cashier_client, visit, five_off
):
    page = cashier_client.get(reverse("checkout", args=[visit.pk])).content.decode()
    assert "Reward ready: $5 off" in page
    assert "(217) 555-0123" in page and "+1 217" not in page


def test_a_point_reward_is_redeemed_on_finish_once_with_a_reward_id_and_audited(
    cashier_client, visit, owner, five_off, cashier_user
):
    url = reverse("redeem_point_reward", args=[visit.pk, five_off.pk])
    page = cashier_client.post(url, **HX).content.decode()
    entry = PointsEntry.objects.get(kind="redeemed")
    assert entry.points == -250 and entry.visit == visit and entry.reward_id.startswith("R-")
    assert entry.created_by == cashier_user and entry.point_reward == five_off
    assert points_balance(owner) == 661
    assert f"reward {entry.reward_id}" in page and 'id="points-balance">661<' in page
    assert AuditEvent.objects.get(action="point_reward.redeemed").data["points"] == 250
    twice = cashier_client.post(url, **HX)
    assert twice.status_code == 422 and "already redeemed in this visit" in twice.content.decode()
    assert points_balance(owner) == 661


def test_a_point_reward_out_of_reach_is_refused(cashier_client, visit, retailer):
    reward = PointReward.objects.create(retailer=retailer, name="Big", points_required=5000)
    response = cashier_client.post(reverse("redeem_point_reward", args=[visit.pk, reward.pk]), **HX)
    assert response.status_code == 422 and "needs 5000 points" in response.content.decode()
    assert not PointsEntry.objects.filter(kind="redeemed").exists()


def test_manage_loyalty_points_records_a_negative_adjustment_with_its_reason(
    cashier_client, visit, owner, five_off
):
    url = reverse("manage_points", args=[visit.pk])
    no_reason = cashier_client.post(url, {"adjustment": "-5", "reason": " "}, **HX)
    body = no_reason.content.decode()
    assert no_reason.status_code == 422 and "Say why the points change" in body
    assert 'id="points-adjust" name="adjustment" type="number" step="1" required value="-5"' in body
    assert "data-autoshow" in body  # the dialog opens again, with its error inside
    page = cashier_client.post(
        url, {"adjustment": "-5", "reason": "$5 discount on the sale"}, **HX
    ).content.decode()
    assert "Saved: -5 points ($5 discount on the sale)." in page
    entry = PointsEntry.objects.get(kind="manual", points=-5)
    assert entry.note == "Manage Loyalty Points: $5 discount on the sale" and entry.visit == visit
    assert AuditEvent.objects.get(action="points.adjusted").data["delta"] == -5


def test_saving_the_sales_points_says_so(cashier_client, visit):
    page = cashier_client.post(
        reverse("manage_points", args=[visit.pk]), {"points": "50"}, **HX
    ).content.decode()
    assert "Saved: this sale awards 50 points." in page


def test_a_bad_scan_is_told_beside_the_field_with_the_code_kept(cashier_client, visit):
    response = cashier_client.post(
        reverse("checkout_scan", args=[visit.pk]), {"code": "072705101062"}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'value="072705101062"' in body and 'aria-invalid="true"' in body
    scan_error = body[body.index('id="scan-error"') :][:300]
    assert "The check digit of 072705101062 should be 1, not 2." in scan_error


def test_a_refund_shows_todays_returns_first_and_points_taken_back(
    cashier_client, retailer, location, cashier_user, owner
):
    food = factories.ItemFactory(gtin="036000291452", description="Kibble")
    factories.enrolled_card(retailer, required=5, items=[food])
    press_pos_button(
        owner=owner, location=location, cashier=cashier_user, sale_id="1",
        lines=[SaleLine("1", ["036000291452"], 2, Decimal("32"), "Kibble")],
        subtotal=Decimal("64"),
    )  # fmt: skip
    refund = press_pos_button(
        owner=owner, location=location, cashier=cashier_user, sale_id="2",
        lines=[SaleLine("1", ["036000291452"], -2, Decimal("32"), "Kibble")],
        subtotal=Decimal("-64"),
    )  # fmt: skip
    PointsEntry.objects.create(
        retailer=retailer, owner=owner, kind="returned", points=-64, visit=refund
    )
    page = cashier_client.get(reverse("checkout", args=[refund.pk])).content.decode()
    assert page.index("Today's Returns") < page.index("Today's Purchases")
    assert "Points taken back today" in page and "Points awarded today -" not in page


def test_the_multi_purchase_pop_up_keeps_every_answer_and_names_the_card(
    cashier_client, retailer, location, cashier_user, owner
):
    lines = []
    for n in (1, 2):
        item = factories.ItemFactory()
        card = factories.enrolled_card(retailer, required=10, items=[item])
        card.program.name = f"Club {n}"
        card.program.save()
        lines.append(SaleLine(str(n), [item.gtin], 2, Decimal("5"), item.description))
    visit = press_pos_button(owner=owner, location=location, cashier=cashier_user, lines=lines)
    cards = sorted(set(Purchase.objects.values_list("card_id", flat=True)))
    data = {
        "step": "multi_purchase",
        f"reason_{cards[0]}": "other",
        f"note_{cards[0]}": "",
        f"reason_{cards[1]}": "multiple_pets",
        f"note_{cards[1]}": "Rex and Fido",
    }
    body = cashier_client.post(reverse("checkout_next", args=[visit.pk]), data, **HX)
    text = body.content.decode()
    assert '<option value="other" selected>' in text
    assert '<option value="multiple_pets" selected>' in text
    assert 'value="Rex and Fido"' in text
    assert "Club 1 — " in text and "(card C" in text and "Add a note saying why" in text
    # Nothing was saved: the second card's answer waits for the first one's note.
    assert not Purchase.objects.exclude(multi_purchase_reason="").exists()
