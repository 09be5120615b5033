"""My Items/Services: the store's custom-program codes, search, inline edit (SPEC §2)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.models import AuditEvent, Item, Purchase
from loyalty.services.sales import import_sale_line, start_visit
from loyalty.tests import factories

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def wash_program(retailer):
    return factories.ProgramFactory(
        kind="buy_x_get_y", retailer=retailer, manufacturer=None, name="Self Wash Club"
    )


@pytest.fixture
def wash(retailer, wash_program):
    """A service rung by item number, qualifying on the store's Buy X Get Y card."""
    item = factories.ItemFactory(
        retailer=retailer, gtin="", item_number="WASH-FULL", description="Full wash", size=""
    )
    card = factories.ProgramCardFactory(program=wash_program, purchases_required=8, items=[])
    card.qualifying_items.add(item)
    return item


@pytest.fixture
def shampoo(retailer, wash_program, wash):
    """A product with a UPC, the wash card's free reward."""
    item = factories.ItemFactory(
        retailer=retailer, gtin="036000291452", description="Oatmeal shampoo", size="16 oz"
    )
    wash_program.cards.get().redeemable_items.add(item)
    return item


def edit(client, item, headers=HX, **changes):
    data = {
        "upc": item.upc,
        "item_number": item.item_number,
        "description": item.description,
        "size": item.size,
    } | changes
    return client.post(reverse("my_item_edit", args=[item.pk]), data, **headers)


def punches_of_a_sale(owner, code, sale):
    visit = start_visit(
        retailer=owner.retailer, owner=owner, pos_system="lightspeed", pos_sale_id=sale
    )
    import_sale_line(visit=visit, pos_line_id="1", codes=[code], quantity=1, unit_price=Decimal(15))
    return Purchase.objects.filter(card__owner=owner, state="active").count()


def test_the_list_shows_each_code_with_its_programs(admin_client, retailer, wash, shampoo):
    catalog = factories.ItemFactory(description="Catalog treat")  # a platform item on the card
    factories.ItemFactory(retailer=retailer, gtin="", item_number="LONE-1", description="Lone")
    factories.ItemFactory(description="Someone else's item")
    wash_program = wash.qualifying_for.get().program
    wash_program.cards.get().qualifying_items.add(catalog)
    page = admin_client.get(reverse("my_items")).content.decode()
    assert "WASH-FULL" in page and "036000291452" in page and "Oatmeal shampoo" in page
    assert 'Self Wash Club <span class="meta">(qualifying)' in page
    assert 'Self Wash Club <span class="meta">(reward)' in page
    assert "Lone" in page and "Not on a program yet" in page
    assert "Catalog treat" in page and "ask Astro support" in page
    assert reverse("my_item_edit", args=[catalog.pk]) not in page
    assert "Someone else" not in page


def test_another_retailers_custom_items_never_show(admin_client, other_retailer, wash):
    theirs = factories.ProgramFactory(
        kind="buy_x_get_y", retailer=other_retailer, manufacturer=None
    )
    their_item = factories.ItemFactory(retailer=other_retailer, description="Their groom")
    factories.ProgramCardFactory(program=theirs, items=[their_item])
    page = admin_client.get(reverse("my_items")).content.decode()
    assert "Full wash" in page and "Their groom" not in page


@pytest.mark.parametrize(("text", "found"), [
    ("oatmeal", "Oatmeal shampoo"),
    ("291452", "Oatmeal shampoo"),
    ("wash-full", "Full wash"),
])  # fmt: skip
def test_search_finds_a_description_a_upc_or_an_item_number(
    admin_client, wash, shampoo, text, found
):
    body = admin_client.get(reverse("my_items"), {"q": text}, **HX).content.decode()
    assert found in body and "<html" not in body
    assert body.count('<tr id="item-') == 1


def test_a_search_that_finds_nothing_says_so(admin_client, wash):
    body = admin_client.get(reverse("my_items"), {"q": "grooming"}).content.decode()
    assert "No item matches “grooming”" in body


def test_edit_inline_turns_the_row_into_a_form_and_save_swaps_it_back(
    admin_client, retailer, wash, admin_user
):
    form = admin_client.get(reverse("my_item_edit", args=[wash.pk]), **HX).content.decode()
    assert form.lstrip().startswith(f'<tr id="item-{wash.pk}" class="editing">')
    assert 'value="WASH-FULL"' in form and "Save" in form
    response = edit(admin_client, wash, item_number="WASH-LG", description="Large dog wash")
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr id="item-{wash.pk}">')
    assert "WASH-LG" in row and "Large dog wash" in row and "Self Wash Club" in row
    wash.refresh_from_db()
    assert (wash.item_number, wash.description) == ("WASH-LG", "Large dog wash")
    event = AuditEvent.objects.get(action="item.updated", retailer=retailer)
    assert event.actor == admin_user
    assert event.data["before"]["item_number"] == "WASH-FULL"
    assert event.data["after"]["item_number"] == "WASH-LG"


def test_cancel_swaps_the_row_back_unchanged(admin_client, wash):
    row = admin_client.get(reverse("my_item_row", args=[wash.pk]), **HX).content.decode()
    assert row.lstrip().startswith(f'<tr id="item-{wash.pk}">') and "WASH-FULL" in row


def test_without_javascript_a_plain_edit_page_saves_and_returns_to_the_list(admin_client, shampoo):
    page = admin_client.get(reverse("my_item_edit", args=[shampoo.pk])).content.decode()
    assert "<html" in page and 'value="036000291452"' in page
    response = edit(admin_client, shampoo, headers={}, size="32 oz")
    assert response.status_code == 302 and response["Location"] == reverse("my_items")
    listing = admin_client.get(response["Location"]).content.decode()
    assert "The next sale matches the new codes" in listing and "32 oz" in listing


def test_a_changed_code_applies_to_the_next_sale(admin_client, retailer, wash):
    owner = factories.PetOwnerFactory(retailer=retailer)
    assert punches_of_a_sale(owner, "WASH-FULL", sale="1") == 1
    edit(admin_client, wash, item_number="WASH-2024")
    assert punches_of_a_sale(owner, "WASH-FULL", sale="2") == 1  # the old code no longer punches
    assert punches_of_a_sale(owner, "wash-2024", sale="3") == 2


def test_a_new_upc_for_a_service_punches_when_scanned(admin_client, retailer, wash):
    owner = factories.PetOwnerFactory(retailer=retailer)
    edit(admin_client, wash, upc="012345678905")
    assert punches_of_a_sale(owner, "012345678905", sale="1") == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"upc": "036000291453"}, "The check digit of 036000291453 should be 2, not 3."),
        (
            {"upc": "0036000291452"},
            "This looks like an EAN-13. The UPC your POS rings is the last 12 digits: "
            "036000291452.",
        ),
        ({"upc": "12AB"}, "A UPC has only digits"),
        ({"upc": "", "item_number": "  "}, "Enter a UPC or an item number"),
        ({"description": ""}, "Enter a description."),
    ],
)
def test_a_bad_code_gets_a_clear_hint_keeps_the_entry_and_saves_nothing(
    admin_client, shampoo, changes, message
):
    response = edit(admin_client, shampoo, **changes)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert body.lstrip().startswith(f'<tr id="item-{shampoo.pk}" class="editing">')
    if changes.get("upc"):
        assert f'value="{changes["upc"]}"' in body  # what was typed stays in the form
    assert Item.objects.get(pk=shampoo.pk).upc == "036000291452"
    assert not AuditEvent.objects.exists()


def test_a_upc_already_used_by_another_of_the_stores_items_is_refused(admin_client, wash, shampoo):
    response = edit(admin_client, wash, upc="036000291452")
    assert response.status_code == 422
    assert "UPC 036000291452 is already used by your item “Oatmeal shampoo 16 oz”." in (
        response.content.decode()
    )
    wash.refresh_from_db()
    assert wash.gtin == "" and not AuditEvent.objects.exists()


def test_the_same_upc_as_another_retailers_item_is_fine(admin_client, other_retailer, wash):
    factories.ItemFactory(retailer=other_retailer, gtin="012345678905")
    assert edit(admin_client, wash, upc="012345678905").status_code == 200


def test_an_item_number_already_used_in_the_store_is_refused(admin_client, wash, shampoo):
    response = edit(admin_client, shampoo, item_number="wash-full")
    assert response.status_code == 422
    assert "Item number wash-full is already used by your item “Full wash”." in (
        response.content.decode()
    )
    assert Item.objects.get(pk=shampoo.pk).item_number == ""


def test_a_manufacturer_products_upc_is_refused_so_its_sales_stay_on_its_card(admin_client, wash):
    factories.ItemFactory(gtin="012345678905", description="Acme Kibble", size="25 lb")
    response = edit(admin_client, wash, upc="012345678905")
    assert response.status_code == 422
    assert "012345678905 is the code of “Acme Kibble 25 lb”, an item of Astro" in (
        response.content.decode()
    )
    assert Item.objects.get(pk=wash.pk).gtin == ""


def test_clearing_the_item_number_of_an_item_with_a_upc_is_fine(admin_client, wash, shampoo):
    assert edit(admin_client, shampoo, item_number="SH-16").status_code == 200
    assert edit(admin_client, shampoo, item_number="").status_code == 200
    assert Item.objects.get(pk=shampoo.pk).item_number == ""


def test_a_plain_edit_with_an_error_shows_the_page_with_the_message(admin_client, shampoo):
    response = edit(admin_client, shampoo, headers={}, upc="036000291453")
    assert response.status_code == 422
    body = response.content.decode()
    assert "<html" in body and "should be 2, not 3" in body and 'value="036000291453"' in body


def test_another_retailers_item_and_a_catalog_item_answer_404(admin_client, other_retailer):
    theirs = factories.ItemFactory(retailer=other_retailer)
    catalog = factories.ItemFactory()
    for item in (theirs, catalog):
        for url in (
            reverse("my_item_edit", args=[item.pk]),
            reverse("my_item_row", args=[item.pk]),
        ):
            assert admin_client.get(url, **HX).status_code == 404
        assert edit(admin_client, item, description="Hijacked").status_code == 404
        assert Item.objects.get(pk=item.pk).description != "Hijacked"


def test_a_cashier_gets_403(cashier_client, wash):
    assert cashier_client.get(reverse("my_items")).status_code == 403
    assert cashier_client.get(reverse("my_item_edit", args=[wash.pk])).status_code == 403
    assert edit(cashier_client, wash, item_number="X").status_code == 403
    assert Item.objects.get(pk=wash.pk).item_number == "WASH-FULL"


@pytest.mark.parametrize("count", [1, 30])
def test_the_lists_queries_do_not_grow_with_the_number_of_items(
    admin_client, retailer, wash_program, django_assert_num_queries, count
):
    card = wash_program.cards.create(name="Wash card", purchases_required=8)
    for _ in range(count):
        card.qualifying_items.add(factories.ItemFactory(retailer=retailer))
    # Session, the user with the store, count, items, their qualifying and redeemable cards.
    with django_assert_num_queries(6):
        response = admin_client.get(reverse("my_items"))
    assert response.content.decode().count('<tr id="item-') == count
