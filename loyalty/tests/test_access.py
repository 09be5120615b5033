"""Tenancy and roles: another retailer's objects answer 404, cashiers get 403 on admin screens."""

import pytest
from django.urls import reverse

from loyalty.models import Card
from loyalty.services.cards import add_purchases
from loyalty.tests import factories


@pytest.fixture
def foreign_card(other_retailer):
    """A pet owner of another retailer with a card, and its URLs."""
    owner = factories.PetOwnerFactory(retailer=other_retailer)
    program_card = factories.enrolled_card(other_retailer)
    add_purchases(owner=owner, program_card=program_card, quantity=2)
    return Card.objects.get(owner=owner)


def urls_of(card):
    owner = card.owner
    return [
        reverse("owner_detail", args=[owner.pk]),
        reverse("owner_detail", args=[owner.pk]) + f"?expand={card.pk}",
        reverse("card_details", args=[card.pk]),
    ]


@pytest.mark.parametrize("htmx", [False, True])
def test_every_owner_and_card_url_of_another_retailer_answers_404(admin_client, foreign_card, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    for url in urls_of(foreign_card):
        assert admin_client.get(url, headers=headers).status_code == 404, url


def test_a_card_of_another_retailer_cannot_be_expanded_on_ones_own_owner_page(
    cashier_client, retailer, foreign_card
):
    own = factories.PetOwnerFactory(retailer=retailer)
    url = reverse("owner_detail", args=[own.pk]) + f"?expand={foreign_card.pk}"
    assert cashier_client.get(url).status_code == 404


def test_another_retailers_owners_never_appear_in_search(cashier_client, foreign_card):
    owner = foreign_card.owner
    response = cashier_client.get(reverse("owner_search"), {"q": owner.first_name})
    assert response.status_code == 200
    body = response.content.decode()
    assert owner.get_absolute_url() not in body
    assert "No pet owner matches" in body


def test_a_cashier_gets_a_clear_403_on_admin_screens(cashier_client):
    response = cashier_client.get(reverse("points_settings"))
    assert response.status_code == 403
    assert "Only an admin of this store" in response.content.decode()
    response = cashier_client.post(reverse("points_settings"), {"points_basis": "total"})
    assert response.status_code == 403


def test_an_admin_can_change_the_points_basis(admin_client, retailer):
    response = admin_client.post(
        reverse("points_settings"), {"points_basis": "total", "points_per_dollar": 2}
    )
    assert response.status_code == 302
    retailer.refresh_from_db()
    assert (retailer.points_basis, retailer.points_per_dollar) == ("total", 2)


def test_a_cashier_cannot_open_django_admin(cashier_client):
    response = cashier_client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_platform_staff_without_a_store_get_403_on_store_screens(client, db):
    staff = factories.UserFactory(retailer=None, role="", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("owner_search")).status_code == 403


def test_screens_need_a_login(client, retailer):
    sally = retailer.pet_owners.get(is_test=True)
    response = client.get(reverse("owner_detail", args=[sally.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_platform_staff_find_an_item_in_django_admin_by_its_ean_form(client, db):
    staff = factories.UserFactory(retailer=None, role="", is_staff=True, is_superuser=True)
    item = factories.ItemFactory(gtin="036000291452", description="Acana Red Meat 25 lb")
    factories.ItemFactory.create_batch(5)
    client.force_login(staff)
    response = client.get("/admin/loyalty/item/", {"q": "0036000291452"})
    assert response.status_code == 200
    body = response.content.decode()
    assert item.description in body
    assert body.count('class="field-description"') == 1


def test_platform_staff_land_in_django_admin(client, db):
    staff = factories.UserFactory(retailer=None, role="", is_staff=True)
    client.force_login(staff)
    response = client.get("/")
    assert response["Location"] == "/admin/"
