"""The test factories keep a card, a visit and a purchase in their owner's retailer (DESIGN.md,
Tests), so a test cannot pass because its rows were set up across two stores."""

import pytest

from loyalty.models import Enrollment
from loyalty.tests import factories


def test_a_card_a_visit_and_a_purchase_built_from_an_owner_share_its_retailer(retailer):
    owner = factories.PetOwnerFactory(retailer=retailer)

    card = factories.CardFactory(owner=owner)
    visit = factories.VisitFactory(owner=owner)
    line = factories.VisitLineFactory(visit=visit)
    purchase = factories.PurchaseFactory(owner=owner)
    punch_of_the_sale = factories.PurchaseFactory(card=card, visit_line=line)

    assert card.retailer == owner.retailer == retailer
    assert Enrollment.objects.filter(retailer=retailer, program=card.program_card.program).exists()
    assert (visit.retailer, visit.location.retailer) == (retailer, retailer)
    assert (line.retailer, line.pos_sale_id) == (retailer, visit.pos_sale_id)
    assert (purchase.retailer, purchase.card.owner, purchase.card.retailer) == (
        retailer,
        owner,
        retailer,
    )
    assert purchase.item in purchase.card.program_card.qualifying_items.all()
    assert (punch_of_the_sale.retailer, punch_of_the_sale.location) == (retailer, visit.location)


def test_a_visit_nobody_is_on_yet_stays_in_the_retailer_given(retailer):
    visit = factories.VisitFactory(owner=None, retailer=retailer)
    assert (visit.owner, visit.retailer, visit.location.retailer) == (None, retailer, retailer)


def test_rows_of_two_retailers_are_refused(retailer, other_retailer):
    owner = factories.PetOwnerFactory(retailer=retailer)
    with pytest.raises(ValueError, match="owner belongs to retailer"):
        factories.CardFactory(owner=owner, retailer=other_retailer)
    with pytest.raises(ValueError, match="location belongs to retailer"):
        factories.VisitFactory(
            owner=owner, location=factories.LocationFactory(retailer=other_retailer)
        )
    their_card = factories.CardFactory(owner=factories.PetOwnerFactory(retailer=other_retailer))
    with pytest.raises(ValueError, match="visit_line belongs to retailer"):
        factories.PurchaseFactory(
            card=their_card, visit_line=factories.VisitLineFactory(visit__owner=owner)
        )


def test_a_purchase_built_from_nothing_makes_one_retailer_of_its_own(db):
    purchase = factories.PurchaseFactory()
    owner = purchase.card.owner
    assert purchase.retailer == purchase.card.retailer == owner.retailer
