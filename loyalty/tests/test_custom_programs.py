"""My Custom Programs as an admin uses them (SPEC §2): list, create, edit, deactivate, preview."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loyalty.models import (
    AuditEvent,
    Card,
    CashBackPlan,
    DistributorReport,
    Item,
    PrepaidPlan,
    Program,
    ProgramCard,
    Purchase,
)
from loyalty.services.redemptions import redeem_card
from loyalty.services.sales import SaleLine, import_sale, start_visit
from loyalty.tests import factories

HX = {"HTTP_HX_REQUEST": "true"}
FOOD_UPC = "036000291452"
FOOD_EAN = "0036000291452"
# A 1x1 GIF: the smallest picture Pillow accepts.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def self_wash(**changes) -> dict:
    data = {
        "name": "Buy 10 Get 1 self-wash",
        "description": "Every tenth wash is on us.",
        "purchases_required": "10",
        "reward_kind": "free_item",
        "discount_amount": "",
        "qualifying_codes": "SELFWASH-S, Self-wash small dog\nSELFWASH-L, Self-wash large dog",
        "redeemable_codes": "SELFWASH-S",
    }
    return data | changes


def create(client, kind="buy-x-get-y", data=None, **extra):
    return client.post(reverse("custom_program_create", args=[kind]), data, **extra)


def only_program():
    return Program.objects.get(kind__in=["buy_x_get_y", "prepaid", "cash_back"])


def page_text(response) -> str:
    return response.content.decode()


# --- Buy X Get Y -------------------------------------------------------------------------


def test_an_admin_creates_a_buy_x_get_y_with_items_of_the_store(admin_client, retailer):
    response = create(admin_client, data=self_wash())
    assert response.status_code == 302 and response.url == reverse("custom_programs")
    program = only_program()
    assert (program.retailer, program.kind, program.is_active) == (retailer, "buy_x_get_y", True)
    card = program.cards.get()
    assert card.purchases_required == 10 and card.reward_kind == "free_item"
    qualifying = sorted(card.qualifying_items.values_list("item_number", "description"))
    assert qualifying == [
        ("SELFWASH-L", "Self-wash large dog"),
        ("SELFWASH-S", "Self-wash small dog"),
    ]
    assert [i.item_number for i in card.redeemable_items.all()] == ["SELFWASH-S"]
    assert set(Item.objects.values_list("retailer", flat=True)) == {retailer.pk}
    listing = page_text(admin_client.get(reverse("custom_programs")))
    assert "Buy 10 Get 1 self-wash" in listing and "Buy 10, get 1 free" in listing


def test_a_upc_and_its_ean_reuse_the_stores_item(admin_client, retailer):
    existing = factories.ItemFactory(retailer=retailer, brand=None, gtin=FOOD_UPC)
    create(
        admin_client,
        data=self_wash(qualifying_codes=FOOD_EAN, redeemable_codes=f"{FOOD_UPC}, Kibble"),
    )
    card = only_program().cards.get()
    assert list(card.qualifying_items.all()) == [existing]
    assert list(card.redeemable_items.all()) == [existing]
    existing.refresh_from_db()
    assert existing.description == "Kibble"
    assert Item.objects.count() == 1


def test_another_stores_item_with_the_same_code_is_not_reused(
    admin_client, retailer, other_retailer
):
    theirs = factories.ItemFactory(retailer=other_retailer, brand=None, item_number="SELFWASH-S")
    create(admin_client, data=self_wash())
    card = only_program().cards.get()
    assert theirs not in card.qualifying_items.all()
    assert card.qualifying_items.filter(item_number="SELFWASH-S", retailer=retailer).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"purchases_required": "1"}, "purchases_required", "from 2 to 30 purchases, not 1"),
        ({"purchases_required": "31"}, "purchases_required", "from 2 to 30 purchases, not 31"),
        ({"qualifying_codes": "  \n "}, "qualifying_codes", "at least one qualifying"),
        ({"redeemable_codes": ""}, "redeemable_codes", "List the free item or service"),
        (
            {"qualifying_codes": "SELFWASH-S\nselfwash-s"},
            "qualifying_codes",
            "selfwash-s is listed twice",
        ),
        (
            {"qualifying_codes": f"{FOOD_UPC}\n{FOOD_EAN}"},
            "qualifying_codes",
            "are the same product (a UPC and its EAN form)",
        ),
        (
            {"redeemable_codes": "036000291453"},
            "redeemable_codes",
            "check digit of 036000291453 should be 2",
        ),
        (
            {"reward_kind": "discount_item", "discount_amount": ""},
            "discount_amount",
            "Enter the discount amount",
        ),
        (
            {"reward_kind": "discount_item", "discount_amount": "0"},
            "discount_amount",
            "A discount is above $0",
        ),
    ],
)
def test_bad_buy_x_get_y_input_says_what_to_fix_saves_nothing_and_keeps_the_input(
    admin_client, changes, field, message
):
    data = self_wash(**changes)
    response = create(admin_client, data=data)
    assert response.status_code == 200
    page = page_text(response)
    assert "Nothing was saved yet" in page
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert not Program.objects.exists() and not Item.objects.exists()
    # What the admin typed is still in the form.
    assert 'value="Buy 10 Get 1 self-wash"' in page
    assert "Every tenth wash is on us." in page
    first_line = data["qualifying_codes"].splitlines()[0] if data["qualifying_codes"] else ""
    assert first_line.strip() in page


def test_a_fully_integrated_pos_allows_up_to_100_and_says_so(admin_client, retailer):
    retailer.pos_integration = "pinogy"
    retailer.save()
    form_page = page_text(admin_client.get(reverse("custom_program_create", args=["buy-x-get-y"])))
    assert "From 2 to 100" in form_page
    assert create(admin_client, data=self_wash(purchases_required="101")).status_code == 200
    assert not Program.objects.exists()
    create(admin_client, data=self_wash(purchases_required="100"))
    assert only_program().cards.get().purchases_required == 100


def test_the_limit_of_30_is_on_screen_without_full_integration(admin_client):
    form_page = page_text(admin_client.get(reverse("custom_program_create", args=["buy-x-get-y"])))
    assert "From 2 to 30" in form_page and "Save program" in form_page


def test_a_discount_without_redeemable_codes_applies_to_a_qualifying_item(admin_client):
    create(
        admin_client,
        data=self_wash(reward_kind="discount_item", discount_amount="5.00", redeemable_codes=""),
    )
    card = only_program().cards.get()
    assert card.reward_kind == "discount_item" and card.discount_amount == Decimal("5.00")
    assert set(card.redeemable_items.all()) == set(card.qualifying_items.all())


def test_a_picture_is_saved_with_the_program(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    picture = SimpleUploadedFile("wash.gif", GIF, content_type="image/gif")
    create(admin_client, data=self_wash(picture=picture))
    program = only_program()
    assert program.picture.name.startswith("programs/wash")
    assert (tmp_path / program.picture.name).exists()


def test_an_edit_keeps_the_picture_unless_it_is_cleared(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    picture = SimpleUploadedFile("wash.gif", GIF, content_type="image/gif")
    create(admin_client, data=self_wash(picture=picture))
    program = only_program()
    url = reverse("custom_program_edit", args=[program.pk])
    assert "Current picture" in page_text(admin_client.get(url))
    admin_client.post(url, self_wash(description="Now with towels."))
    program.refresh_from_db()
    assert program.picture and program.description == "Now with towels."
    admin_client.post(url, self_wash() | {"picture-clear": "on"})
    program.refresh_from_db()
    assert not program.picture


def test_a_file_that_is_not_a_picture_is_refused(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bad = SimpleUploadedFile("wash.gif", b"not a picture", content_type="image/gif")
    response = create(admin_client, data=self_wash(picture=bad))
    assert "Upload a valid image" in page_text(response)
    assert "Choose the picture again" in page_text(response)
    assert not Program.objects.exists()


def test_the_same_name_twice_is_refused(admin_client):
    create(admin_client, data=self_wash())
    response = create(admin_client, data=self_wash(name="buy 10 get 1 SELF-wash"))
    assert "You already have a program called" in page_text(response)
    assert Program.objects.count() == 1


# --- Pre-Paid Membership and Cash Back ------------------------------------------------------


def day_care(**changes) -> dict:
    data = {
        "name": "Day care 6 + 1",
        "description": "",
        "visits": "6",
        "bonus_visits": "1",
        "price": "150.00",
        "visit_description": "One day of doggie day care",
    }
    return data | changes


def bakery(**changes) -> dict:
    data = {
        "name": "Bakery cash back",
        "description": "",
        "percent": "10",
        "basis": "subtotal",
        "purchases_required": "10",
    }
    return data | changes


def test_an_admin_creates_a_prepaid_membership(admin_client, retailer):
    assert create(admin_client, "prepaid", day_care()).status_code == 302
    plan = PrepaidPlan.objects.get()
    assert (plan.visits, plan.bonus_visits, plan.price) == (6, 1, Decimal("150.00"))
    assert plan.program.retailer == retailer and plan.program.kind == "prepaid"
    assert "6 + 1 bonus visits for $150.00" in page_text(
        admin_client.get(reverse("custom_programs"))
    )


def test_an_admin_creates_a_cash_back_program(admin_client):
    assert create(admin_client, "cash-back", bakery(basis="total")).status_code == 302
    plan = CashBackPlan.objects.get()
    assert (plan.percent, plan.basis, plan.purchases_required) == (Decimal("10"), "total", 10)
    assert "10% of the sale total" in page_text(admin_client.get(reverse("custom_programs")))


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("prepaid", day_care(visits="0"), "at least 1 visit"),
        ("prepaid", day_care(price="-1"), "price cannot be negative"),
        ("prepaid", day_care(visit_description=""), "Say what one visit is"),
        ("cash-back", bakery(percent="0"), "above 0 and at most 100"),
        ("cash-back", bakery(percent="100.01"), "above 0 and at most 100"),
        ("cash-back", bakery(purchases_required="0"), "at least 1 purchase"),
        # Issue 13: numbers past the small-integer columns were a server error.
        ("prepaid", day_care(visits="9" * 20), "Visits in the package can be at most 999"),
        ("prepaid", day_care(bonus_visits="40000"), "Bonus visits can be at most 999"),
        ("cash-back", bakery(purchases_required="9" * 20), "purchases needed can be at most"),
    ],
)
def test_bad_prepaid_or_cash_back_input_says_why_and_saves_nothing(
    admin_client, kind, data, message
):
    response = create(admin_client, kind, data)
    assert response.status_code == 200 and message in page_text(response)
    assert f'value="{data["name"]}"' in page_text(response)
    assert not Program.objects.exists()


def test_a_percent_of_exactly_100_is_allowed(admin_client):
    create(admin_client, "cash-back", bakery(percent="100"))
    assert CashBackPlan.objects.get().percent == Decimal("100")


def test_the_list_needs_the_same_queries_for_one_program_or_many(
    admin_client,
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            admin_client.get(reverse("custom_programs"))
        return len(captured)

    create(admin_client, data=self_wash())
    create(admin_client, "prepaid", day_care())
    create(admin_client, "cash-back", bakery())
    few = queries()
    for n in range(6):
        create(admin_client, data=self_wash(name=f"Washes {n}", qualifying_codes=f"W-{n}"))
        create(admin_client, "prepaid", day_care(name=f"Day care {n}"))
        create(admin_client, "cash-back", bakery(name=f"Bakery {n}"))
    assert queries() == few
    assert len(admin_client.get(reverse("custom_programs")).context["active"]) == 21


def test_an_unknown_kind_is_not_found(admin_client):
    response = admin_client.get(reverse("custom_program_create", args=["lottery"]))
    assert response.status_code == 404


# --- Editing, deactivating, auditing ---------------------------------------------------------


def test_an_edit_starts_from_the_saved_program_and_applies_to_the_next_sale(admin_client, retailer):
    create(admin_client, data=self_wash())
    program = only_program()
    url = reverse("custom_program_edit", args=[program.pk])
    form_page = page_text(admin_client.get(url))
    assert "SELFWASH-L, Self-wash large dog" in form_page and 'value="10"' in form_page
    response = admin_client.post(
        url, self_wash(purchases_required="8", qualifying_codes="SELFWASH-XL")
    )
    assert response.status_code == 302
    card = program.cards.get()
    assert card.purchases_required == 8 and card.name == "Buy 8 Get 1 Free"
    assert [i.item_number for i in card.qualifying_items.all()] == ["SELFWASH-XL"]
    sally = retailer.pet_owners.get(is_test=True)
    visit = start_visit(retailer=retailer, owner=sally)
    lines = import_sale(
        visit=visit,
        lines=[SaleLine("1", ["SELFWASH-L"], 1), SaleLine("2", ["SELFWASH-XL"], 1)],
    )
    assert [line.outcome for line in lines] == ["unknown", "punched"]


def test_a_failed_edit_changes_nothing(admin_client):
    create(admin_client, data=self_wash())
    program = only_program()
    url = reverse("custom_program_edit", args=[program.pk])
    response = admin_client.post(url, self_wash(name="New name", purchases_required="99"))
    assert response.status_code == 200 and 'value="New name"' in page_text(response)
    program.refresh_from_db()
    assert program.name == "Buy 10 Get 1 self-wash"
    assert program.cards.get().purchases_required == 10


def test_lowering_x_completes_cards_that_already_reached_it(admin_client, retailer):
    create(admin_client, data=self_wash())
    program = only_program()
    owner = factories.PetOwnerFactory(retailer=retailer)
    visit = start_visit(retailer=retailer, owner=owner)
    import_sale(visit=visit, lines=[SaleLine("1", ["SELFWASH-S"], 6)])
    admin_client.post(
        reverse("custom_program_edit", args=[program.pk]), self_wash(purchases_required="5")
    )
    assert Card.objects.get(owner=owner).status == "complete"
    # The next sale starts a new card instead of failing.
    import_sale(visit=visit, lines=[SaleLine("2", ["SELFWASH-S"], 1)])
    assert Card.objects.filter(owner=owner, status="open").count() == 1


def test_editing_a_prepaid_plan_changes_its_terms(admin_client):
    create(admin_client, "prepaid", day_care())
    program = only_program()
    admin_client.post(
        reverse("custom_program_edit", args=[program.pk]), day_care(visits="10", price="240")
    )
    plan = PrepaidPlan.objects.get()
    assert (plan.visits, plan.price) == (10, Decimal("240.00"))


def test_a_deactivated_program_punches_nothing_until_reactivated(admin_client, retailer):
    create(admin_client, data=self_wash())
    program = only_program()
    toggle = reverse("custom_program_toggle", args=[program.pk])
    response = admin_client.post(toggle, {"active": "0"}, **HX)
    assert "is deactivated" in page_text(response)
    program.refresh_from_db()
    assert not program.is_active
    assert response.context["inactive"][0][0] == program and not response.context["active"]
    # A second click of the same button changes nothing.
    admin_client.post(toggle, {"active": "0"}, **HX)
    program.refresh_from_db()
    assert not program.is_active
    sally = retailer.pet_owners.get(is_test=True)
    visit = start_visit(retailer=retailer, owner=sally)
    [line] = import_sale(visit=visit, lines=[SaleLine("1", ["SELFWASH-S"], 1)])
    assert line.outcome == "unknown"
    admin_client.post(toggle, {"active": "1"})
    [line] = import_sale(visit=visit, lines=[SaleLine("2", ["SELFWASH-S"], 1)])
    assert line.outcome == "punched"


def test_every_create_edit_and_toggle_is_audited(admin_client, admin_user):
    create(admin_client, data=self_wash())
    program = only_program()
    admin_client.post(reverse("custom_program_edit", args=[program.pk]), self_wash(name="Washes"))
    admin_client.post(reverse("custom_program_toggle", args=[program.pk]), {"active": "0"})
    admin_client.post(reverse("custom_program_toggle", args=[program.pk]), {"active": "1"})
    events = AuditEvent.objects.filter(target_type="program", target_id=str(program.pk))
    assert list(events.order_by("id").values_list("action", flat=True)) == [
        "custom_program.created",
        "custom_program.changed",
        "custom_program.deactivated",
        "custom_program.reactivated",
    ]
    assert {event.actor for event in events} == {admin_user}
    changed = events.get(action="custom_program.changed")
    assert changed.data["name"] == "Washes" and changed.data["qualifying"] == [
        "SELFWASH-S",
        "SELFWASH-L",
    ]


# --- Live preview ------------------------------------------------------------------------


def test_the_preview_draws_x_punch_slots_and_saves_nothing(admin_client):
    url = reverse("custom_program_preview")
    response = admin_client.post(url, self_wash(purchases_required="12"), **HX)
    page = page_text(response)
    assert response.status_code == 200 and 'id="card-preview"' in page
    assert "<html" not in page  # only the partial
    assert page.count("<li>") == 12 and "0/12" in page
    assert "Get 1 free: Self-wash small dog" in page
    assert not Program.objects.exists() and not Item.objects.exists()


def test_the_preview_says_when_x_is_out_of_range(admin_client):
    url = reverse("custom_program_preview")
    page = page_text(admin_client.post(url, self_wash(purchases_required="45"), **HX))
    assert "from 2 to 30 purchases, not 45" in page and "<li>" not in page


def test_the_preview_shows_a_discount(admin_client):
    url = reverse("custom_program_preview")
    data = self_wash(reward_kind="discount_item", discount_amount="5.00")
    assert "Get $5.00 off" in page_text(admin_client.post(url, data, **HX))


# --- Roles and tenancy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "custom_programs", []),
        ("get", "custom_program_create", ["buy-x-get-y"]),
        ("post", "custom_program_create", ["buy-x-get-y"]),
        ("post", "custom_program_preview", []),
    ],
)
def test_a_cashier_gets_403(cashier_client, method, name, args):
    response = getattr(cashier_client, method)(reverse(name, args=args), self_wash())
    assert response.status_code == 403
    assert "Only an admin" in page_text(response)
    assert not Program.objects.exists()


def test_a_cashier_cannot_edit_or_deactivate(cashier_client, retailer):
    program = factories.ProgramFactory(kind="buy_x_get_y", retailer=retailer, manufacturer=None)
    edit = cashier_client.get(reverse("custom_program_edit", args=[program.pk]))
    toggle = cashier_client.post(
        reverse("custom_program_toggle", args=[program.pk]), {"active": "0"}
    )
    assert edit.status_code == 403 and toggle.status_code == 403
    program.refresh_from_db()
    assert program.is_active


def test_another_stores_program_answers_404_and_stays_as_it_was(admin_client, other_retailer):
    theirs = factories.ProgramFactory(
        kind="buy_x_get_y", retailer=other_retailer, manufacturer=None, name="Theirs"
    )
    ProgramCard.objects.create(program=theirs, name="Buy 5", purchases_required=5)
    assert admin_client.get(reverse("custom_program_edit", args=[theirs.pk])).status_code == 404
    assert (
        admin_client.post(reverse("custom_program_edit", args=[theirs.pk]), self_wash())
    ).status_code == 404
    toggle = reverse("custom_program_toggle", args=[theirs.pk])
    assert admin_client.post(toggle, {"active": "0"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active and theirs.name == "Theirs"
    assert "Theirs" not in page_text(admin_client.get(reverse("custom_programs")))


def test_a_manufacturer_program_is_not_editable_here(admin_client):
    platform = factories.ProgramFactory()
    response = admin_client.get(reverse("custom_program_edit", args=[platform.pk]))
    assert response.status_code == 404


def test_the_toggle_only_takes_a_post(admin_client, retailer):
    program = factories.ProgramFactory(kind="cash_back", retailer=retailer, manufacturer=None)
    response = admin_client.get(reverse("custom_program_toggle", args=[program.pk]))
    assert response.status_code == 405


# --- At checkout --------------------------------------------------------------------------


def test_a_program_made_here_punches_at_checkout_and_its_redemption_is_never_reported(
    admin_client, retailer, location, cashier_user
):
    create(
        admin_client,
        data=self_wash(
            purchases_required="2", qualifying_codes=FOOD_UPC, redeemable_codes=FOOD_UPC
        ),
    )
    owner = factories.PetOwnerFactory(retailer=retailer)  # a real owner, not Sally
    visit = start_visit(retailer=retailer, owner=owner, location=location, cashier=cashier_user)
    import_sale(visit=visit, lines=[SaleLine("1", [FOOD_EAN], 1)])  # the EAN form matches too
    cashier_client = Client()
    cashier_client.force_login(cashier_user)
    scan = cashier_client.post(reverse("checkout_scan", args=[visit.pk]), {"code": FOOD_UPC}, **HX)
    assert scan.status_code == 200
    card = Card.objects.get(owner=owner)
    assert card.status == "complete" and Purchase.objects.filter(card=card).count() == 2
    [item] = card.program_card.redeemable_items.all()
    redeem_card(card=card, item_id=item.pk, cashier=cashier_user)
    assert Card.objects.get(pk=card.pk).status == "redeemed"
    assert not DistributorReport.objects.exists()
