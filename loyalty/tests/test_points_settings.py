"""Loyalty points settings: points events, basis, rate, and the reward thresholds (SPEC §2)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.models import AuditEvent, PointReward, PointsEntry
from loyalty.services.points import adjust_points, award_sale_points, take_back_points
from loyalty.services.sales import SaleLine
from loyalty.tests import factories
from loyalty.tests.pos_sales import press_pos_button

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer)


@pytest.fixture
def reward(retailer):
    return PointReward.objects.create(retailer=retailer, name="Free chew toy", points_required=100)


def settings_post(client, **values):
    data = {"points_events": "pos_sales", "points_basis": "subtotal", "points_per_dollar": "1"}
    return client.post(reverse("points_settings"), {**data, **values})


def press_button(owner, location, cashier, *, subtotal="54.99"):
    return press_pos_button(
        owner=owner,
        location=location,
        cashier=cashier,
        sale_id="900",
        pos_customer_id="5",
        subtotal=Decimal(subtotal),
        total=Decimal(subtotal),
        return_url="",
        lines=[SaleLine("1", ["012345678905"], 1, Decimal(subtotal), "Toy")],
    )


def test_the_admin_switches_points_to_manual_only_and_it_is_audited(admin_client, retailer):
    response = settings_post(admin_client, points_events="manual", points_per_dollar="2")
    assert response.status_code == 302
    retailer.refresh_from_db()
    assert (retailer.points_events, retailer.points_per_dollar) == ("manual", 2)
    assert AuditEvent.objects.filter(action="settings.points_changed").exists()


def test_zero_points_per_dollar_is_refused_and_keeps_the_old_rate(admin_client, retailer):
    response = settings_post(admin_client, points_per_dollar="0", points_events="manual")
    assert response.status_code == 422
    assert "Give at least 1 point per dollar." in response.content.decode()
    retailer.refresh_from_db()
    assert (retailer.points_events, retailer.points_per_dollar) == ("pos_sales", 1)


def test_manual_only_points_award_nothing_on_a_sale(retailer, owner, location, cashier_user):
    retailer.points_events = "manual"
    retailer.save()
    visit = press_button(owner, location, cashier_user)
    assert award_sale_points(owner=owner, subtotal=Decimal("80"), total=Decimal("80")) is None
    assert not PointsEntry.objects.filter(owner=owner).exists()
    # The cashier still gives points by hand, and a return takes none of them back.
    adjust_points(owner=owner, delta=25, actor=cashier_user, visit=visit)
    take_back_points(owner=owner, returned_amount=Decimal("54.99"))
    assert list(PointsEntry.objects.filter(owner=owner).values_list("points", flat=True)) == [25]


def test_points_tethered_to_sales_award_the_subtotal(retailer, owner, location, cashier_user):
    press_button(owner, location, cashier_user, subtotal="54.99")
    assert list(PointsEntry.objects.filter(owner=owner).values_list("points", flat=True)) == [54]


def test_the_settings_page_lists_rewards_and_is_for_admins_only(
    admin_client, client, cashier_user, reward
):
    page = admin_client.get(reverse("points_settings")).content.decode()
    assert "Free chew toy" in page and "Add reward" in page
    client.force_login(cashier_user)
    assert client.get(reverse("points_settings")).status_code == 403
    assert client.post(reverse("point_reward_create"), {"name": "x"}).status_code == 403


def test_an_admin_adds_a_reward_through_htmx(admin_client, retailer):
    data = {"name": "Free bag of treats", "points_required": "250", "is_active": "on"}
    response = admin_client.post(reverse("point_reward_create"), data, **HX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Free bag of treats" in page and "<html" not in page
    reward = PointReward.objects.get(retailer=retailer)
    assert (reward.points_required, reward.is_active) == (250, True)
    assert AuditEvent.objects.filter(action="point_reward.created").exists()


def test_zero_points_required_is_refused_and_saves_nothing(admin_client, retailer):
    data = {"name": "Nothing for free", "points_required": "0", "is_active": "on"}
    response = admin_client.post(reverse("point_reward_create"), data, **HX)
    assert response.status_code == 422
    page = response.content.decode()
    assert "A reward needs at least 1 point." in page
    assert 'value="Nothing for free"' in page  # what was typed stays
    assert not PointReward.objects.exists()


def test_a_duplicate_reward_name_is_refused(admin_client, reward):
    data = {"name": "free chew toy", "points_required": "50", "is_active": "on"}
    response = admin_client.post(reverse("point_reward_create"), data, **HX)
    assert response.status_code == 422
    assert "There is already a reward called “free chew toy”." in response.content.decode()
    assert PointReward.objects.count() == 1


def test_editing_a_reward_in_its_row(admin_client, reward):
    url = reverse("point_reward_edit", args=[reward.pk])
    form = admin_client.get(url, **HX).content.decode()
    assert f'id="reward-{reward.pk}"' in form and "Save reward" in form
    data = {"name": "Free chew toy", "points_required": "120", "description": "Any size"}
    data["is_active"] = "on"
    row = admin_client.post(url, data, **HX).content.decode()
    assert "120" in row and "Any size" in row
    reward.refresh_from_db()
    assert reward.points_required == 120
    event = AuditEvent.objects.get(action="point_reward.changed")
    assert event.data["before"]["points_required"] == 100
    assert event.data["after"]["points_required"] == 120


def test_an_edit_to_a_taken_name_is_refused_in_the_row(admin_client, retailer, reward):
    other = PointReward.objects.create(retailer=retailer, name="Free leash", points_required=300)
    data = {"name": "Free chew toy", "points_required": "300", "is_active": "on"}
    response = admin_client.post(reverse("point_reward_edit", args=[other.pk]), data, **HX)
    assert response.status_code == 422
    assert "There is already a reward called" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Free leash"


def test_deactivate_and_reactivate_a_reward(admin_client, reward):
    url = reverse("point_reward_edit", args=[reward.pk])
    row = admin_client.post(url, {"active": "0"}, **HX).content.decode()
    assert "Not offered" in row and "Reactivate" in row
    reward.refresh_from_db()
    assert not reward.is_active and reward.points_required == 100
    admin_client.post(url, {"active": "1"}, **HX)
    reward.refresh_from_db()
    assert reward.is_active


def test_another_retailers_reward_is_404(admin_client, other_retailer):
    theirs = PointReward.objects.create(retailer=other_retailer, name="Theirs", points_required=5)
    url = reverse("point_reward_edit", args=[theirs.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"active": "0"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_edit_without_htmx_opens_the_settings_page_with_the_row_in_edit(admin_client, reward):
    page = admin_client.get(reverse("point_reward_edit", args=[reward.pk])).content.decode()
    assert "Loyalty points settings" in page and "Save reward" in page
    assert 'value="Free chew toy"' in page
