"""Punching cards: quantities, overflow onto the next card, enrollment (SPEC §2, §3)."""

import pytest

from loyalty.errors import NotEnrolled
from loyalty.models import Card, Purchase
from loyalty.services.cards import add_purchases
from loyalty.tests import factories


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer)


def progress(owner):
    return [
        (c.status, c.purchases.filter(state="active").count())
        for c in Card.objects.filter(owner=owner).order_by("id")
    ]


def test_a_quantity_of_three_is_three_punches(owner, retailer):
    card = factories.enrolled_card(retailer)
    made = add_purchases(owner=owner, program_card=card, quantity=3)
    assert len(made) == 3
    assert progress(owner) == [("open", 3)]


def test_punches_beyond_n_start_the_next_card(owner, retailer):
    card = factories.enrolled_card(retailer)
    add_purchases(owner=owner, program_card=card, quantity=10)
    add_purchases(owner=owner, program_card=card, quantity=5)
    assert progress(owner) == [("complete", 12), ("open", 3)]


def test_a_large_quantity_fills_several_cards(owner, retailer):
    card = factories.enrolled_card(retailer, required=12)
    add_purchases(owner=owner, program_card=card, quantity=30)
    assert progress(owner) == [("complete", 12), ("complete", 12), ("open", 6)]
    assert Purchase.objects.filter(card__owner=owner).count() == 30


def test_exactly_n_completes_the_card_without_opening_another(owner, retailer):
    card = factories.enrolled_card(retailer, required=10)
    add_purchases(owner=owner, program_card=card, quantity=10)
    assert progress(owner) == [("complete", 10)]
    assert Card.objects.get(owner=owner).completed_at is not None


def test_quantity_zero_adds_nothing(owner, retailer):
    card = factories.enrolled_card(retailer)
    assert add_purchases(owner=owner, program_card=card, quantity=0) == []
    assert progress(owner) == []


def test_a_negative_quantity_is_refused_and_changes_nothing(owner, retailer):
    card = factories.enrolled_card(retailer)
    with pytest.raises(ValueError):
        add_purchases(owner=owner, program_card=card, quantity=-2)
    assert progress(owner) == []


def test_a_program_the_store_is_not_enrolled_in_punches_nothing(owner):
    card = factories.ProgramCardFactory()
    with pytest.raises(NotEnrolled, match="not enrolled"):
        add_purchases(owner=owner, program_card=card, quantity=1)
    assert progress(owner) == []


def test_an_enrollment_of_one_location_does_not_count_at_another(owner, retailer):
    here = factories.LocationFactory(retailer=retailer)
    there = factories.LocationFactory(retailer=retailer)
    card = factories.ProgramCardFactory()
    factories.EnrollmentFactory(retailer=retailer, location=here, program=card.program)
    add_purchases(owner=owner, program_card=card, quantity=1, location=here)
    with pytest.raises(NotEnrolled):
        add_purchases(owner=owner, program_card=card, quantity=1, location=there)


def test_another_retailers_enrollment_does_not_count(owner, other_retailer):
    card = factories.enrolled_card(other_retailer)
    with pytest.raises(NotEnrolled):
        add_purchases(owner=owner, program_card=card, quantity=1)


def test_the_retailers_own_custom_program_needs_no_enrollment(owner, retailer):
    program = factories.ProgramFactory(kind="buy_x_get_y", retailer=retailer, manufacturer=None)
    card = factories.ProgramCardFactory(program=program, purchases_required=8)
    add_purchases(owner=owner, program_card=card, quantity=2)
    assert progress(owner) == [("open", 2)]


def test_another_retailers_custom_program_is_refused(owner, other_retailer):
    program = factories.ProgramFactory(
        kind="buy_x_get_y", retailer=other_retailer, manufacturer=None
    )
    card = factories.ProgramCardFactory(program=program)
    with pytest.raises(NotEnrolled):
        add_purchases(owner=owner, program_card=card, quantity=1)


def test_every_retailer_has_sally_pet_owner_as_a_test_account(retailer, other_retailer):
    for each in (retailer, other_retailer):
        sally = each.pet_owners.get(is_test=True)
        assert sally.full_name == "Sally Pet Owner"


def test_the_temporary_holding_distributor_exists_from_the_migrations(db):
    from loyalty.models import Distributor

    holding = Distributor.objects.get(is_temporary_holding=True)
    assert holding.name == "Temporary Holding Distributor"


def test_an_item_with_a_bad_check_digit_is_refused_with_a_hint(db):
    from django.core.exceptions import ValidationError

    item = factories.ItemFactory.build(gtin="036000291453", brand=None)
    with pytest.raises(ValidationError, match="check digit"):
        item.full_clean()
