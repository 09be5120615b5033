"""SPEC §2: a retailer's own item never shadows a platform item. A custom program's code that is
a manufacturer product's is refused naming the product and its program; an unused custom item
can be deleted; matching prefers the platform item; a migration repairs rows that collide."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from loyalty.models import AuditEvent, Item, Program, Purchase
from loyalty.services.sales import SaleLine
from loyalty.tests import factories
from loyalty.tests.pos_sales import press_pos_button

FROMM_UPC = "072705101061"
FROMM_EAN = "0072705101061"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def fromm(retailer):
    """A Fromm item on a manufacturer card the store is enrolled in."""
    item = factories.ItemFactory(
        gtin=FROMM_UPC, description="Fromm Gold Adult", size="5 lb", item_number="FR-GOLD-5"
    )
    card = factories.enrolled_card(retailer, required=12, items=[item])
    card.program.name = "Fromm Frequent Buyer"
    card.program.save()
    return item


def buy_x_get_y(codes: str) -> dict:
    return {
        "name": "Food Club",
        "description": "",
        "purchases_required": "10",
        "reward_kind": "free_item",
        "discount_amount": "",
        "qualifying_codes": codes,
        "redeemable_codes": "TREAT-1",
    }


def sale_of(owner, location, cashier, code):
    return press_pos_button(
        owner=owner,
        location=location,
        cashier=cashier,
        lines=[SaleLine("1", [code], 1, Decimal("20"), "Fromm")],
        subtotal=Decimal("20"),
    )


@pytest.mark.parametrize("code", [FROMM_EAN, FROMM_UPC, "00" + FROMM_UPC])
def test_a_custom_program_with_a_platform_items_code_is_refused_naming_item_and_program(
    admin_client, fromm, code
):
    response = admin_client.post(
        reverse("custom_program_create", args=["buy-x-get-y"]), buy_x_get_y(code)
    )
    page = response.content.decode()
    assert "Nothing was saved yet" in page
    assert f"{code} is the code of “Fromm Gold Adult 5 lb”, an item of Fromm Frequent Buyer" in page
    assert not Program.objects.filter(name="Food Club").exists()
    assert not Item.objects.filter(retailer__isnull=False, gtin=fromm.gtin).exists()


def test_a_platform_items_item_number_is_refused_the_same_way(admin_client, fromm):
    response = admin_client.post(
        reverse("custom_program_create", args=["buy-x-get-y"]), buy_x_get_y("fr-gold-5")
    )
    assert "Item number fr-gold-5 is the code of “Fromm Gold Adult 5 lb”" in (
        response.content.decode()
    )


def test_my_items_refuses_a_platform_item_number(admin_client, retailer, fromm):
    own = Item.objects.create(retailer=retailer, item_number="WASH-1", description="Wash")
    response = admin_client.post(
        reverse("my_item_edit", args=[own.pk]),
        {"upc": "", "item_number": "FR-GOLD-5", "description": "Wash", "size": ""},
        **HX,
    )
    assert response.status_code == 422 and "Fromm Frequent Buyer" in response.content.decode()
    own.refresh_from_db()
    assert own.item_number == "WASH-1"


def test_a_platform_item_wins_over_the_stores_own_item_with_its_code(
    retailer, location, cashier_user, fromm
):
    # A row saved before such codes were refused.
    Item.objects.create(retailer=retailer, gtin=FROMM_UPC, description="0072705101061")
    owner = factories.PetOwnerFactory(retailer=retailer)
    visit = sale_of(owner, location, cashier_user, FROMM_UPC)
    line = visit.lines.get()
    assert line.outcome == "punched" and line.item == fromm
    assert Purchase.objects.get(card__owner=owner).item == fromm


def test_an_unused_custom_item_is_deleted_from_my_items(admin_client, retailer):
    stranded = Item.objects.create(retailer=retailer, item_number="OLD-1", description="Old")
    page = admin_client.get(reverse("my_items")).content.decode()
    assert "Delete Old" in page
    response = admin_client.post(reverse("my_item_delete", args=[stranded.pk]), **HX)
    assert response.status_code == 200 and "Deleted “Old”." in response.content.decode()
    assert not Item.objects.filter(pk=stranded.pk).exists()
    assert AuditEvent.objects.filter(action="item.deleted").exists()


def test_an_item_on_a_program_is_not_deleted_and_says_why(admin_client, retailer):
    program = factories.ProgramFactory(kind="buy_x_get_y", retailer=retailer, manufacturer=None)
    program.name = "Wash Club"
    program.save()
    item = Item.objects.create(retailer=retailer, item_number="WASH-2", description="Wash")
    factories.ProgramCardFactory(program=program, items=[item])
    response = admin_client.post(reverse("my_item_delete", args=[item.pk]), **HX)
    assert response.status_code == 422 and "is on Wash Club" in response.content.decode()
    assert Item.objects.filter(pk=item.pk).exists()


def test_another_stores_item_cannot_be_deleted(client, retailer):
    item = Item.objects.create(retailer=retailer, item_number="OLD-2", description="Old")
    client.force_login(factories.UserFactory(role="admin"))
    assert client.post(reverse("my_item_delete", args=[item.pk])).status_code == 404
    assert Item.objects.filter(pk=item.pk).exists()


def test_the_migration_merges_colliding_items_into_the_platform_item_keeping_every_punch(
    retailer, fromm
):
    own = Item.objects.create(retailer=retailer, gtin=FROMM_UPC, description="0072705101061")
    by_number = Item.objects.create(
        retailer=retailer, item_number="fr-gold-5", description="Fromm by number"
    )
    program = factories.ProgramFactory(kind="buy_x_get_y", retailer=retailer, manufacturer=None)
    custom = factories.ProgramCardFactory(program=program, items=[own, by_number])
    owner = factories.PetOwnerFactory(retailer=retailer)
    card = factories.CardFactory(owner=owner, program_card=custom)
    for item in (own, own, by_number):
        factories.PurchaseFactory(card=card, item=item)
    untouched = Item.objects.create(retailer=retailer, item_number="WASH-9", description="Wash")

    migration = importlib.import_module(
        "loyalty.migrations.0011_repair_custom_items_hiding_platform_items"
    )
    assert migration.repair(apps) == 2

    assert not Item.objects.filter(pk__in=[own.pk, by_number.pk]).exists()
    assert Item.objects.filter(pk=untouched.pk).exists()
    punches = Purchase.objects.filter(card=card)
    assert punches.count() == 3 and set(punches.values_list("item", flat=True)) == {fromm.pk}
    assert not custom.qualifying_items.exists()
    audit = AuditEvent.objects.filter(action="item.merged_into_platform", retailer=retailer)
    assert audit.count() == 2 and sum(a.data["punches_kept"] for a in audit) == 3
