"""Frequent Buyer: available programs, details, the product list, enroll and unenroll (SPEC §2)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.models import (
    AuditEvent,
    Card,
    Distributor,
    DistributorReport,
    Enrollment,
    Purchase,
    Redemption,
)
from loyalty.models.cards import CardStatus
from loyalty.services.sales import SaleLine
from loyalty.tests import factories
from loyalty.tests.pos_sales import press_pos_button

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def holding(db):
    return Distributor.objects.get(is_temporary_holding=True)


@pytest.fixture
def kibble(db):
    return factories.ItemFactory(gtin="036000291452", description="Kibble", item_number="KB-25")


@pytest.fixture
def program(kibble):
    """A manufacturer program with one card: buy 3 Kibble, get a Kibble."""
    card = factories.ProgramCardFactory(
        program__name="Acme Buy 12", purchases_required=3, items=[kibble], name="Acme 25 lb"
    )
    return card.program


@pytest.fixture
def distributor(program):
    serving = factories.DistributorFactory(name="Phillips Pet")
    serving.programs.add(program)
    return serving


def enroll(client, program, headers=HX, **data):
    return client.post(reverse("program_enroll", args=[program.pk]), data, **headers)


def sale_punches(owner, location, cashier, sale="900"):
    """A sale of one Kibble at the register; the punches it made."""
    press_pos_button(
        owner=owner,
        location=location,
        cashier=cashier,
        sale_id=sale,
        pos_customer_id="77",
        subtotal=Decimal("54.99"),
        total=Decimal("54.99"),
        return_url="",
        lines=[SaleLine("1", ["036000291452"], 1, Decimal("54.99"), "Kibble")],
    )
    return Purchase.objects.filter(card__owner=owner, state="active").count()


# --- Available programs


def test_the_list_shows_active_manufacturer_programs_and_where_the_store_is_enrolled(
    admin_client, retailer, program, distributor
):
    here = factories.LocationFactory(retailer=retailer, name="Main Street")
    factories.EnrollmentFactory(
        retailer=retailer, location=here, program=program, distributor=distributor
    )
    other = factories.ProgramFactory(name="Zest Treats")
    factories.ProgramFactory(name="Gone Program", is_active=False)
    factories.ProgramFactory(name="An Offer", kind="offer")
    page = admin_client.get(reverse("available_programs")).content.decode()
    assert "Acme Buy 12" in page and "Zest Treats" in page
    assert "Gone Program" not in page and "An Offer" not in page
    assert "Main Street (Phillips Pet)" in page
    assert reverse("program_detail", args=[other.pk]) in page and "Not enrolled" in page


def test_another_retailers_enrollment_does_not_show_as_the_stores(
    admin_client, other_retailer, program
):
    factories.EnrollmentFactory(retailer=other_retailer, program=program)
    page = admin_client.get(reverse("available_programs")).content.decode()
    assert "Not enrolled" in page and 'class="ok">Enrolled' not in page


def test_filters_narrow_the_list_with_htmx_and_as_a_plain_form(admin_client, db):
    factories.ProgramFactory(name="Cat Chow Card", category="Food", pet_type="Cat")
    factories.ProgramFactory(name="Dog Chew Card", category="Treats", pet_type="Dog")
    factories.ProgramFactory(
        name="Dog Food Card", category="Food", pet_type="Dog", fulfillment_option="Distributor"
    )
    url = reverse("available_programs")
    partial = admin_client.get(url, {"category": "Food", "pet_type": "Dog"}, **HX)
    body = partial.content.decode()
    assert "Dog Food Card" in body and "Cat Chow Card" not in body and "Dog Chew Card" not in body
    assert "<html" not in body and 'id="program-list"' in body
    page = admin_client.get(url, {"fulfillment": "Distributor"}).content.decode()
    assert "<html" in page and "Dog Food Card" in page and "Cat Chow Card" not in page
    assert '<option value="Treats">' in page  # the choices come from the programs


def test_filter_by_enrolled_and_an_unknown_value_says_the_filter_is_off(
    admin_client, retailer, program
):
    factories.EnrollmentFactory(retailer=retailer, program=program)
    factories.ProgramFactory(name="Zest Treats", category="Treats")
    url = reverse("available_programs")
    enrolled = admin_client.get(url, {"enrolled": "yes"}, **HX).content.decode()
    assert "Acme Buy 12" in enrolled and "Zest Treats" not in enrolled
    not_enrolled = admin_client.get(url, {"enrolled": "no"}, **HX).content.decode()
    assert "Acme Buy 12" not in not_enrolled and "Zest Treats" in not_enrolled
    odd = admin_client.get(url, {"category": "Rocks"}, **HX).content.decode()
    assert "“Rocks” is not one of the category choices" in odd and "Zest Treats" in odd


@pytest.mark.parametrize("count", [1, 30])
def test_the_lists_queries_do_not_grow_with_the_number_of_programs(
    admin_client, retailer, django_assert_num_queries, count
):
    location = factories.LocationFactory(retailer=retailer)
    for n in range(count):
        card = factories.ProgramCardFactory(program__category=f"Cat {n}")
        factories.EnrollmentFactory(retailer=retailer, program=card.program, location=location)
    # Session, the user with the store, filter choices, programs, their enrollments.
    with django_assert_num_queries(5):
        response = admin_client.get(reverse("available_programs"))
    assert response.content.decode().count('id="program-') == count + 1  # + the list region


def test_a_cashier_gets_403_on_every_frequent_buyer_screen(
    cashier_client, retailer, program, distributor
):
    enrollment = factories.EnrollmentFactory(retailer=retailer, program=program)
    urls = [
        reverse("available_programs"),
        reverse("program_detail", args=[program.pk]),
        reverse("program_items_csv", args=[program.pk]),
        reverse("program_unenroll", args=[enrollment.pk]),
    ]
    for url in urls:
        assert cashier_client.get(url).status_code == 403, url
    assert enroll(cashier_client, program, distributor=distributor.pk).status_code == 403
    unenroll = cashier_client.post(reverse("program_unenroll", args=[enrollment.pk]))
    assert unenroll.status_code == 403
    assert Enrollment.objects.count() == 1


# --- Program details and the product list


def test_details_show_terms_cards_items_and_the_distributors_to_choose(
    admin_client, program, distributor, holding
):
    program.terms = "Buy 12 bags, get the 13th free."
    program.save()
    page = admin_client.get(reverse("program_detail", args=[program.pk])).content.decode()
    assert "Buy 12 bags, get the 13th free." in page
    assert "Acme 25 lb" in page and "Buy <strong>3</strong>" in page and "036000291452" in page
    assert "Phillips Pet" in page
    assert "Temporary Holding Distributor (choose it when yours is not listed)" in page
    assert reverse("program_items_csv", args=[program.pk]) in page


def test_a_custom_program_or_an_ended_one_has_no_details_page(admin_client, retailer):
    custom = factories.ProgramFactory(kind="buy_x_get_y", retailer=retailer, manufacturer=None)
    ended = factories.ProgramFactory(is_active=False)
    for each in (custom, ended):
        assert admin_client.get(reverse("program_detail", args=[each.pk])).status_code == 404


def test_the_product_and_barcode_list_is_a_csv_of_every_cards_items(admin_client, program):
    reward = factories.ItemFactory(
        gtin="", item_number="FREE-5", description="Sample bag", size="5 lb", brand__name="Acme"
    )
    card = program.cards.get()
    card.redeemable_items.add(reward)
    response = admin_client.get(reverse("program_items_csv", args=[program.pk]))
    assert response["Content-Type"] == "text/csv"
    assert "acme-buy-12-items.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "UPC", "Item number", "Description", "Brand", "Size", "Card", "Qualifying/Redeemable"
    ]  # fmt: skip
    kibble_brand = card.qualifying_items.get().brand.name
    assert rows[1] == [
        "036000291452", "KB-25", "Kibble", kibble_brand, "25 lb", "Acme 25 lb",
        "qualifying and redeemable",
    ]  # fmt: skip
    assert rows[2] == ["", "FREE-5", "Sample bag", "Acme", "5 lb", "Acme 25 lb", "redeemable"]
    assert len(rows) == 3


# --- Enroll


def test_enrolling_makes_the_next_sales_items_punch(
    admin_client, retailer, location, cashier_user, program, distributor
):
    owner = factories.PetOwnerFactory(retailer=retailer)
    assert sale_punches(owner, location, cashier_user, sale="1") == 0  # not enrolled yet
    response = enroll(admin_client, program, distributor=distributor.pk, account_number=" A-77 ")
    assert response.status_code == 200
    body = response.content.decode()
    assert "The whole account is now enrolled in Acme Buy 12" in body and "A-77" in body
    enrollment = Enrollment.objects.get(retailer=retailer, program=program)
    assert enrollment.account_number == "A-77" and enrollment.location is None
    assert AuditEvent.objects.filter(action="enrollment.created", retailer=retailer).count() == 1
    assert sale_punches(owner, location, cashier_user, sale="2") == 1


def test_enrolling_without_htmx_redirects_to_the_details_with_a_message(
    admin_client, program, holding
):
    response = enroll(admin_client, program, headers={}, distributor=holding.pk)
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "is now enrolled" in page and "Reports wait here" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the distributor that delivers this program"),
        ({"distributor": "999999"}, "Choose one of the distributors listed."),
        ({"distributor": "stranger", "account_number": "A1"}, "Far Away does not serve Acme"),
        ({"distributor": "serving", "account_number": "  "}, "Enter the store&#x27;s account"),
    ],
)
def test_a_bad_enrollment_says_why_keeps_the_entry_and_saves_nothing(
    admin_client, program, distributor, data, message
):
    stranger = factories.DistributorFactory(name="Far Away")
    ids = {"stranger": stranger.pk, "serving": distributor.pk}
    data = {k: ids.get(v, v) for k, v in data.items()}
    response = enroll(admin_client, program, **data)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    if data.get("distributor") == distributor.pk:  # the form keeps what was entered
        assert f'value="{distributor.pk}" selected' in body
    if data.get("account_number") == "A1":
        assert 'value="A1"' in body
    assert not Enrollment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_temporary_holding_distributor_needs_no_account_number(
    admin_client, retailer, program, holding
):
    assert enroll(admin_client, program, distributor=holding.pk).status_code == 200
    assert Enrollment.objects.get(retailer=retailer).distributor == holding


def test_enrolling_twice_is_refused_with_a_clear_message(
    admin_client, retailer, program, distributor
):
    first = enroll(admin_client, program, distributor=distributor.pk, account_number="A1")
    assert first.status_code == 200
    again = enroll(admin_client, program, distributor=distributor.pk, account_number="A2")
    assert again.status_code == 422
    assert "The whole account is already enrolled in Acme Buy 12." in again.content.decode()
    assert Enrollment.objects.get().account_number == "A1"
    page = admin_client.get(reverse("program_detail", args=[program.pk])).content.decode()
    assert "Enroll in this program" not in page  # a single store has nothing left to enroll


def test_a_multi_location_account_enrolls_one_location_and_only_it_punches(
    admin_client, retailer, cashier_user, program, distributor
):
    main = factories.LocationFactory(retailer=retailer, name="Main Street")
    mall = factories.LocationFactory(retailer=retailer, name="Mall")
    page = admin_client.get(reverse("program_detail", args=[program.pk])).content.decode()
    assert "The whole account (every location)" in page and "Main Street" in page
    response = enroll(
        admin_client, program, distributor=distributor.pk, account_number="A1", location=main.pk
    )
    assert "Main Street is now enrolled" in response.content.decode()
    again = enroll(
        admin_client, program, distributor=distributor.pk, account_number="A1", location=main.pk
    )
    assert "Main Street is already enrolled" in again.content.decode()
    owner = factories.PetOwnerFactory(retailer=retailer)
    assert sale_punches(owner, main, cashier_user, sale="1") == 1
    assert sale_punches(owner, mall, cashier_user, sale="2") == 1  # the mall is not enrolled


def test_another_retailers_location_cannot_be_enrolled(
    admin_client, retailer, other_retailer, program, distributor
):
    factories.LocationFactory(retailer=retailer)
    factories.LocationFactory(retailer=retailer)
    theirs = factories.LocationFactory(retailer=other_retailer)
    response = enroll(
        admin_client, program, distributor=distributor.pk, account_number="A1", location=theirs.pk
    )
    assert response.status_code == 422
    assert "Choose one of your store&#x27;s locations." in response.content.decode()
    assert not Enrollment.objects.exists()


# --- Unenroll


def test_unenroll_asks_first_then_ends_the_enrollment_and_is_audited(
    admin_client, retailer, location, cashier_user, program, distributor
):
    enrollment = factories.EnrollmentFactory(
        retailer=retailer, program=program, distributor=distributor
    )
    owner = factories.PetOwnerFactory(retailer=retailer)
    Card.objects.create(
        retailer=retailer,
        owner=owner,
        program_card=program.cards.get(),
        status=CardStatus.COMPLETE,
    )
    url = reverse("program_unenroll", args=[enrollment.pk])
    confirm = admin_client.get(url).content.decode()
    assert "Unenroll from Acme Buy 12?" in confirm and "Yes, unenroll" in confirm
    assert "1 complete card of this program is waiting" in confirm
    assert Enrollment.objects.exists()  # asking changes nothing
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not Enrollment.objects.exists()
    event = AuditEvent.objects.get(action="enrollment.ended")
    assert event.data["distributor"] == "Phillips Pet" and event.actor is not None
    page = admin_client.get(response["Location"]).content.decode()
    assert "no longer enrolled in Acme Buy 12" in page
    assert sale_punches(owner, location, cashier_user) == 0  # the next sale punches nothing


def test_another_retailers_enrollment_answers_404(admin_client, other_retailer, program):
    theirs = factories.EnrollmentFactory(retailer=other_retailer, program=program)
    url = reverse("program_unenroll", args=[theirs.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url).status_code == 404
    assert Enrollment.objects.filter(pk=theirs.pk).exists()


def test_an_ended_program_the_store_is_in_can_still_be_seen_and_left(
    admin_client, retailer, program
):
    enrollment = factories.EnrollmentFactory(retailer=retailer, program=program)
    program.is_active = False
    program.save()
    page = admin_client.get(reverse("program_detail", args=[program.pk])).content.decode()
    assert "The manufacturer has ended this program" in page
    assert reverse("program_unenroll", args=[enrollment.pk]) in page
    assert "Enroll in this program" not in page


def held_report(retailer, program, holding, location=None):
    """A redemption report waiting for the Temporary Holding Distributor."""
    owner = factories.PetOwnerFactory(retailer=retailer)
    program_card = program.cards.get()
    card = Card.objects.create(
        retailer=retailer, owner=owner, program_card=program_card, status="redeemed"
    )
    redemption = Redemption.objects.create(
        retailer=retailer, card=card, item=program_card.redeemable_items.get(), location=location
    )
    return DistributorReport.objects.create(
        retailer=retailer, distributor=holding, kind="redemption", redemption=redemption
    )


def test_reports_held_for_the_temporary_holding_distributor_go_to_the_real_one(
    admin_client, retailer, program, distributor, holding
):
    enrollment = factories.EnrollmentFactory(
        retailer=retailer, program=program, distributor=holding, account_number=""
    )
    held = held_report(retailer, program, holding)
    confirm = admin_client.get(reverse("program_unenroll", args=[enrollment.pk]))
    assert "When you enroll with your real distributor, they go to it." in confirm.content.decode()
    admin_client.post(reverse("program_unenroll", args=[enrollment.pk]))
    held.refresh_from_db()
    assert held.distributor == holding and held.state == "pending"  # still waiting
    response = enroll(admin_client, program, distributor=distributor.pk, account_number="PP-1")
    assert "1 held redemption report now goes to Phillips Pet" in response.content.decode()
    held.refresh_from_db()
    assert (held.distributor, held.account_number) == (distributor, "PP-1")


def test_a_location_with_its_own_holding_enrollment_keeps_its_held_reports(
    admin_client, retailer, program, distributor, holding
):
    mall = factories.LocationFactory(retailer=retailer, name="Mall")
    factories.LocationFactory(retailer=retailer, name="Main Street")
    factories.EnrollmentFactory(
        retailer=retailer, program=program, distributor=holding, location=mall
    )
    at_mall = held_report(retailer, program, holding, location=mall)
    enroll(admin_client, program, distributor=distributor.pk, account_number="PP-1")
    at_mall.refresh_from_db()
    assert at_mall.distributor == holding  # the mall's own enrollment still decides
