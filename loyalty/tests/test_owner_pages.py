"""The pet owner account page: cards with progress, card id, Expand Details, points."""

from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.models import Card
from loyalty.services.cards import add_purchases
from loyalty.services.points import award_sale_points
from loyalty.tests import factories


@pytest.fixture
def sally(retailer):
    return retailer.pet_owners.get(is_test=True)


def test_the_owner_page_shows_each_card_with_progress_and_its_id(cashier_client, retailer, sally):
    program_card = factories.enrolled_card(retailer, required=12)
    add_purchases(owner=sally, program_card=program_card, quantity=5)
    award_sale_points(owner=sally, subtotal=Decimal("42.50"), total=Decimal("45.00"))
    card = Card.objects.get(owner=sally)
    page = cashier_client.get(reverse("owner_detail", args=[sally.pk])).content.decode()
    assert "5/12" in page
    assert card.card_number in page
    assert "Expand Details" in page
    assert 'id="points-balance">42<' in page


def test_expand_details_lists_every_purchase_one_row_per_sale_line(
    cashier_client, retailer, sally, location
):
    program_card = factories.enrolled_card(retailer, required=12)
    item = program_card.qualifying_items.get()
    add_purchases(owner=sally, program_card=program_card, quantity=3, item=item, location=location)
    card = Card.objects.get(owner=sally)
    fragment = cashier_client.get(
        reverse("card_details", args=[card.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    # Three punches of one line are one row of quantity 3, not three identical rows.
    assert fragment.count(item.description) == 1 and "<td>3</td>" in fragment
    assert location.name in fragment
    assert "<html" not in fragment  # a fragment, not a page


def test_expand_details_without_htmx_opens_the_owner_page_with_the_card_expanded(
    cashier_client, retailer, sally
):
    program_card = factories.enrolled_card(retailer, required=12)
    add_purchases(owner=sally, program_card=program_card, quantity=1)
    card = Card.objects.get(owner=sally)
    response = cashier_client.get(reverse("card_details", args=[card.pk]), follow=True)
    assert f"Purchases on card {card.card_number}" in response.content.decode()


def test_the_owner_page_query_count_does_not_grow_with_cards(
    cashier_client, retailer, sally, django_assert_max_num_queries
):
    for _ in range(6):
        add_purchases(owner=sally, program_card=factories.enrolled_card(retailer), quantity=2)
    with django_assert_max_num_queries(8):
        cashier_client.get(reverse("owner_detail", args=[sally.pk]))


def test_search_finds_a_phone_number_whatever_its_format(cashier_client, retailer):
    factories.PetOwnerFactory(retailer=retailer, first_name="Dana", phone="(555) 867-5309")
    response = cashier_client.get(reverse("owner_search"), {"q": "555.867.5309"})
    assert "Dana" in response.content.decode()


def test_search_finds_an_email_in_any_case(cashier_client, retailer):
    factories.PetOwnerFactory(retailer=retailer, first_name="Kim", email="Kim.Lee@Example.com")
    response = cashier_client.get(
        reverse("owner_search"), {"q": "kim.lee@example"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "Kim" in body
    assert "<html" not in body
