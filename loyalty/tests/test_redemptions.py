"""Redeeming complete cards (SPEC §3 Redemption)."""

from decimal import Decimal

import pytest
from django.http import Http404

from loyalty.access import get_card_for
from loyalty.errors import AlreadyRedeemed, CardNotComplete, ItemNotRedeemable, MissingContactData
from loyalty.models import Card
from loyalty.services.cards import add_purchases
from loyalty.services.redemptions import is_reportable, redeem_card, redeemable_items
from loyalty.tests import factories


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer)


def complete_card(owner, program_card, item=None):
    item = item or program_card.qualifying_items.first()
    add_purchases(
        owner=owner,
        program_card=program_card,
        quantity=program_card.purchases_required,
        item=item,
        unit_price=item.list_price,
    )
    return Card.objects.get(owner=owner, program_card=program_card, status="complete")


def test_a_complete_card_is_redeemed_once_with_a_reward_id(owner, retailer):
    program_card = factories.enrolled_card(retailer, required=3)
    card = complete_card(owner, program_card)
    item = program_card.redeemable_items.get()
    redemption = redeem_card(card=card, item_id=item.pk)
    assert redemption.reward_id.startswith("R-")
    card.refresh_from_db()
    assert card.status == "redeemed"
    with pytest.raises(AlreadyRedeemed):
        redeem_card(card=card, item_id=item.pk)


def test_an_incomplete_card_is_refused(owner, retailer):
    program_card = factories.enrolled_card(retailer, required=12)
    add_purchases(owner=owner, program_card=program_card, quantity=5)
    card = Card.objects.get(owner=owner)
    with pytest.raises(CardNotComplete, match="5/12"):
        redeem_card(card=card, item_id=program_card.redeemable_items.get().pk)
    card.refresh_from_db()
    assert card.status == "open"
    assert not card.redemptions.exists()


def test_an_item_not_on_the_redeemable_list_is_refused(owner, retailer):
    program_card = factories.enrolled_card(retailer, required=2)
    card = complete_card(owner, program_card)
    with pytest.raises(ItemNotRedeemable):
        redeem_card(card=card, item_id=factories.ItemFactory().pk)
    card.refresh_from_db()
    assert card.status == "complete"


def test_another_retailers_card_cannot_be_redeemed(owner, retailer, other_retailer):
    program_card = factories.enrolled_card(retailer, required=1)
    card = complete_card(owner, program_card)
    stranger = factories.UserFactory(retailer=other_retailer, role="admin")
    # The tenancy gate answers another store's card id as missing, before any service runs.
    with pytest.raises(Http404):
        redeem_card(
            card=get_card_for(stranger, card.pk),
            item_id=program_card.redeemable_items.get().pk,
        )


def test_lesser_or_equal_value_allows_only_items_priced_at_most_the_cheapest_purchase(
    owner, retailer
):
    cheap = factories.ItemFactory(list_price=Decimal("20.00"))
    dear = factories.ItemFactory(list_price=Decimal("60.00"))
    program_card = factories.enrolled_card(
        retailer, required=2, rule="lesser_or_equal_value", items=[cheap, dear]
    )
    add_purchases(
        owner=owner, program_card=program_card, quantity=2, item=cheap, unit_price=Decimal("21")
    )
    card = Card.objects.get(owner=owner)
    assert redeemable_items(card=card) == [cheap]
    with pytest.raises(ItemNotRedeemable):
        redeem_card(card=card, item_id=dear.pk)


def test_redeemable_items_are_limited_to_the_stores_inventory(owner, retailer):
    a, b = factories.ItemFactory(), factories.ItemFactory()
    program_card = factories.enrolled_card(retailer, required=1, items=[a, b])
    card = complete_card(owner, program_card, item=a)
    assert redeemable_items(card=card) == sorted([a, b], key=lambda i: i.description)
    assert redeemable_items(card=card, inventory={str(b.pk)}) == [b]
    with pytest.raises(ItemNotRedeemable):
        redeem_card(card=card, item_id=a.pk, inventory={str(b.pk)})


def test_a_real_owners_manufacturer_redemption_is_reportable(owner, retailer):
    program_card = factories.enrolled_card(retailer, required=1)
    card = complete_card(owner, program_card)
    redemption = redeem_card(card=card, item_id=program_card.redeemable_items.get().pk)
    assert is_reportable(redemption)


def test_sallys_redemptions_are_never_reportable(retailer):
    sally = retailer.pet_owners.get(is_test=True)
    program_card = factories.enrolled_card(retailer, required=1)
    card = complete_card(sally, program_card)
    redemption = redeem_card(card=card, item_id=program_card.redeemable_items.get().pk)
    assert not is_reportable(redemption)


def test_custom_program_redemptions_are_never_reportable(owner, retailer):
    program = factories.ProgramFactory(kind="buy_x_get_y", retailer=retailer, manufacturer=None)
    program_card = factories.ProgramCardFactory(program=program, purchases_required=2)
    card = complete_card(owner, program_card)
    redemption = redeem_card(card=card, item_id=program_card.redeemable_items.get().pk)
    assert not is_reportable(redemption)


def test_a_program_that_requires_an_email_refuses_an_owner_without_one(retailer):
    owner = factories.PetOwnerFactory(retailer=retailer, email="")
    program_card = factories.enrolled_card(retailer, required=1)
    program_card.requires_email = program_card.requires_address = True
    program_card.save()
    card = complete_card(owner, program_card)
    item = program_card.redeemable_items.get()
    with pytest.raises(MissingContactData, match="email and address") as refused:
        redeem_card(card=card, item_id=item.pk)
    assert refused.value.missing == ["email", "address"]
    card.refresh_from_db()
    assert card.status == "complete"
    owner.email, owner.address_line, owner.city, owner.postal_code = (
        "pat@example.com",
        "1 Elm St",
        "Springfield",
        "62701",
    )
    owner.save()
    assert redeem_card(card=card, item_id=item.pk).reward_id
