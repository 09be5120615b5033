"""The checkout screen and its actions, as a cashier uses them (SPEC §4 steps 4-7)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from loyalty.contracts.pos import PosCustomer, PosSale
from loyalty.models import AuditEvent, Card, PointsEntry, PosLink, Purchase, Redemption
from loyalty.services.owners import link_pos_customer
from loyalty.services.sales import SaleLine, record_pos_sale
from loyalty.tests import factories
from loyalty.tests.pos_sales import press_pos_button

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer, email="ann@example.com")


@pytest.fixture
def food(retailer):
    return factories.ItemFactory(gtin="036000291452", description="Kibble 25 lb")


@pytest.fixture
def program_card(retailer, food):
    return factories.enrolled_card(retailer, required=3, items=[food])


def click(owner, location, cashier, lines, *, sale="501", subtotal="54.99"):
    """One press of the POS button for this sale, as the Lightspeed view does it."""
    return press_pos_button(
        owner=owner,
        location=location,
        cashier=cashier,
        sale_id=sale,
        pos_customer_id="77",
        subtotal=Decimal(subtotal),
        total=Decimal(subtotal) * Decimal("1.08"),
        return_url="https://us.merchantos.com/?name=register&saleID=" + sale,
        lines=lines,
    )


def food_line(line_id="1", quantity=1, price="54.99"):
    return SaleLine(line_id, ["036000291452"], quantity, Decimal(price), "Kibble 25 lb")


def active_punches(owner):
    return Purchase.objects.filter(card__owner=owner, state="active").count()


def test_checkout_shows_the_punched_card_the_unknown_item_and_the_points(
    cashier_client, owner, location, cashier_user, program_card
):
    toy = SaleLine("2", ["012345678905"], 1, Decimal("9.99"), "Squeaky toy")
    visit = click(owner, location, cashier_user, [food_line(), toy], subtotal="64.98")
    page = cashier_client.get(reverse("checkout", args=[visit.pk])).content.decode()
    assert "Today's Purchases" in page
    card = Card.objects.get(owner=owner)
    assert f"Card {card.card_number} punched" in page
    assert "Unknown Item" in page and "No program has this UPC" in page
    assert 'id="points-visit">64<' in page
    assert "Incorrect Customer" in page


def test_a_second_click_on_the_same_sale_earns_no_second_points_or_punch(
    owner, location, cashier_user, program_card
):
    click(owner, location, cashier_user, [food_line()])
    second = click(owner, location, cashier_user, [food_line()])
    assert second.lines.get().outcome == "possible_existing"
    assert active_punches(owner) == 1
    assert sum(PointsEntry.objects.filter(owner=owner).values_list("points", flat=True)) == 54


def test_a_grown_sale_earns_only_the_difference_on_the_second_click(
    owner, location, cashier_user, program_card
):
    click(owner, location, cashier_user, [food_line()], subtotal="54.99")
    click(owner, location, cashier_user, [food_line()], subtotal="80.00")
    assert sum(PointsEntry.objects.filter(owner=owner).values_list("points", flat=True)) == 80


def test_add_anyway_punches_once_even_when_clicked_twice(
    cashier_client, owner, location, cashier_user, program_card
):
    click(owner, location, cashier_user, [food_line()])
    second = click(owner, location, cashier_user, [food_line()])
    line = second.lines.get()
    url = reverse("checkout_line", args=[second.pk, line.pk, "add-anyway"])
    assert cashier_client.post(url, **HX).status_code == 200
    cashier_client.post(url, **HX)  # the double click
    assert active_punches(owner) == 2


def test_finishing_without_a_choice_removes_the_repeat(
    cashier_client, owner, location, cashier_user, program_card
):
    click(owner, location, cashier_user, [food_line()])
    second = click(owner, location, cashier_user, [food_line()])
    response = cashier_client.post(reverse("finished", args=[second.pk]), **HX)
    assert response["HX-Redirect"] == second.return_url
    assert second.lines.get().outcome == "ignored"
    assert active_punches(owner) == 1


def test_remove_from_astro_fbc_removes_the_most_recent_matching_purchase_and_points(
    cashier_client, owner, location, cashier_user, program_card
):
    click(owner, location, cashier_user, [food_line(quantity=2)], sale="1", subtotal="109.98")
    refund = click(
        owner, location, cashier_user, [food_line("9", quantity=-1)], sale="2", subtotal="-54.99"
    )
    line = refund.lines.get()
    assert line.outcome == "return_pending"
    assert active_punches(owner) == 2  # without the click the purchases stay
    url = reverse("checkout_line", args=[refund.pk, line.pk, "return"])
    page = cashier_client.post(url, **HX).content.decode()
    cashier_client.post(url, **HX)  # a replayed POST removes nothing more
    assert active_punches(owner) == 1
    newest = Purchase.objects.filter(card__owner=owner).order_by("-purchased_at", "-id").first()
    assert newest.state == "returned"
    assert "Removed From Astro FBC" in page
    assert sum(PointsEntry.objects.filter(owner=owner).values_list("points", flat=True)) == 55


def test_a_scanned_upc_adds_a_purchase_and_a_bad_one_says_why(
    cashier_client, owner, location, cashier_user, program_card
):
    visit = click(owner, location, cashier_user, [])
    url = reverse("checkout_scan", args=[visit.pk])
    ok = cashier_client.post(url, {"code": "036000291452"}, **HX)
    assert ok.status_code == 200 and active_punches(owner) == 1
    bad = cashier_client.post(url, {"code": "036000291453"}, **HX)
    assert bad.status_code == 422
    assert "check digit" in bad.content.decode()
    assert active_punches(owner) == 1


def test_a_typed_item_number_of_a_service_adds_a_purchase(
    cashier_client, owner, location, cashier_user, retailer
):
    wash = factories.ItemFactory(retailer=retailer, gtin="", item_number="SELFWASH-S")
    custom = factories.ProgramFactory(kind="buy_x_get_y", retailer=retailer, manufacturer=None)
    card = factories.ProgramCardFactory(program=custom, purchases_required=10)
    card.qualifying_items.set([wash])
    visit = click(owner, location, cashier_user, [])
    response = cashier_client.post(
        reverse("checkout_scan", args=[visit.pk]), {"code": "selfwash-s"}, **HX
    )
    assert response.status_code == 200 and active_punches(owner) == 1


def test_incorrect_customer_undoes_the_sale_and_the_link(
    cashier_client, owner, location, cashier_user, program_card
):
    link_pos_customer(owner=owner, pos_system="lightspeed", pos_customer_id="77", actor=None)
    click(owner, location, cashier_user, [food_line(quantity=3)], subtotal="164.97")
    visit = click(owner, location, cashier_user, [food_line(quantity=3)], subtotal="164.97")
    assert Card.objects.get(owner=owner).status == "complete"
    response = cashier_client.post(reverse("incorrect_customer", args=[visit.pk]), **HX)
    assert response["HX-Redirect"] == visit.return_url
    assert active_punches(owner) == 0
    assert Card.objects.get(owner=owner).status == "open"
    assert not PosLink.objects.filter(owner=owner).exists()
    assert sum(PointsEntry.objects.filter(owner=owner).values_list("points", flat=True)) == 0
    assert AuditEvent.objects.filter(action="visit.incorrect_customer").exists()
    # The right customer's click imports the lines fresh, not as repeats.
    other = factories.PetOwnerFactory(retailer=owner.retailer)
    fresh = click(other, location, cashier_user, [food_line(quantity=3)], subtotal="164.97")
    assert fresh.lines.get().outcome == "punched"


def test_checkout_walks_reason_then_redemption_then_finish(
    cashier_client, owner, location, cashier_user, program_card
):
    visit = click(owner, location, cashier_user, [food_line(quantity=3)], subtotal="164.97")
    url = reverse("checkout_next", args=[visit.pk])
    first = cashier_client.post(url, **HX).content.decode()
    assert "More than one purchase on a card" in first
    card = Card.objects.get(owner=owner)
    second = cashier_client.post(
        url, {"step": "multi_purchase", f"reason_{card.pk}": "stocking_up"}, **HX
    ).content.decode()
    assert "Reward ready!" in second
    third = cashier_client.post(url, {"step": "redemption"}, **HX)
    assert third["HX-Redirect"] == reverse("finish", args=[visit.pk])
    food = program_card.redeemable_items.get()
    page = cashier_client.post(
        reverse("redeem", args=[visit.pk]), {f"card_{card.pk}": str(food.pk)}, **HX
    ).content.decode()
    assert "Rewards Redeemed This Visit" in page
    assert Redemption.objects.get(card=card).reward_id in page


def test_a_reason_left_out_asks_again(cashier_client, owner, location, cashier_user, program_card):
    visit = click(owner, location, cashier_user, [food_line(quantity=2)])
    url = reverse("checkout_next", args=[visit.pk])
    page = cashier_client.post(url, {"step": "multi_purchase"}, **HX).content.decode()
    assert "More than one purchase on a card" in page and "Pick a reason" in page


def test_a_required_email_is_asked_before_the_reward(
    cashier_client, retailer, location, cashier_user, food
):
    program_card = factories.enrolled_card(retailer, required=1, items=[food])
    program_card.requires_email = True
    program_card.save()
    owner = factories.PetOwnerFactory(retailer=retailer, email="", phone="555 123 4567")
    visit = click(owner, location, cashier_user, [food_line()])
    url = reverse("checkout_next", args=[visit.pk])
    page = cashier_client.post(url, **HX).content.decode()
    assert "Contact details needed" in page
    page = cashier_client.post(
        url, {"step": "contact", "email": "new@example.com"}, **HX
    ).content.decode()
    assert "Reward ready!" in page
    owner.refresh_from_db()
    assert owner.email == "new@example.com"


def test_another_retailers_visit_is_404(
    client, other_retailer, owner, location, cashier_user, program_card
):
    visit = click(owner, location, cashier_user, [food_line()])
    stranger = factories.UserFactory(retailer=other_retailer, role="admin")
    client.force_login(stranger)
    for name in ("checkout", "finish"):
        assert client.get(reverse(name, args=[visit.pk])).status_code == 404
    assert client.post(reverse("finished", args=[visit.pk])).status_code == 404
    line = visit.lines.get()
    url = reverse("checkout_line", args=[visit.pk, line.pk, "return"])
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("lines", [1, 50])
def test_checkout_and_finish_queries_do_not_grow_with_lines_or_cards(
    cashier_client, retailer, location, cashier_user, django_assert_num_queries, lines
):
    owner = factories.PetOwnerFactory(retailer=retailer)
    sale = []
    for n in range(lines):
        item = factories.ItemFactory()
        factories.enrolled_card(retailer, required=1, items=[item])
        sale.append(SaleLine(str(n), [item.gtin], 1, Decimal("5"), item.description))
    sale.append(SaleLine("unknown", ["012345678905"], 1, Decimal("1"), "Toy"))
    for n in range(lines):  # items of programs the store is not enrolled in: enroll prompts
        item = factories.ItemFactory()
        factories.ProgramCardFactory(items=[item])
        sale.append(SaleLine(f"new{n}", [item.gtin], 1, Decimal("5"), item.description))
    visit = click(owner, location, cashier_user, sale)
    assert Card.objects.filter(owner=owner, status="complete").count() == lines
    # Session, the user with the store (header), visit, lines with their punches, the holding
    # distributor, the prompts' programs, their distributors, the exception cards (with the
    # enrolled programs), owner's cards, points, the store's point rewards.
    with django_assert_num_queries(11):
        assert cashier_client.get(reverse("checkout", args=[visit.pk])).status_code == 200
    # Session, the user with the store, visit, complete cards, their items, their punches,
    # rewards, point rewards redeemed, owner's cards, points, the store's point rewards.
    with django_assert_num_queries(11):
        assert cashier_client.get(reverse("finish", args=[visit.pk])).status_code == 200


def hold_cards(owner, count: int) -> list[Card]:
    """`count` cards of earlier visits, of programs of their own: complete, open, redeemed."""
    cards = []
    for n in range(count):
        status = ("complete", "open", "redeemed")[n % 3]
        program_card = factories.enrolled_card(owner.retailer, required=2)
        cards.append(
            Card.objects.create(
                retailer=owner.retailer, owner=owner, program_card=program_card, status=status
            )
        )
    return cards


@pytest.mark.parametrize("cards", [1, 50])
def test_checkout_and_finish_queries_do_not_grow_with_the_cards_an_owner_holds(
    cashier_client, owner, location, cashier_user, program_card, django_assert_num_queries, cards
):
    hold_cards(owner, cards)
    visit = click(owner, location, cashier_user, [food_line()])
    # Session, the user with the store, visit, lines with their punches, owner's cards, points,
    # point rewards.
    with django_assert_num_queries(7):
        assert cashier_client.get(reverse("checkout", args=[visit.pk])).status_code == 200
    # Session, the user with the store, visit, complete cards, their items, their punches,
    # rewards, point rewards redeemed, owner's cards, points, the store's point rewards.
    with django_assert_num_queries(11):
        assert cashier_client.get(reverse("finish", args=[visit.pk])).status_code == 200


def test_redeemed_cards_are_on_the_owner_page_and_history_not_at_the_register(
    cashier_client, admin_client, owner, location, cashier_user, program_card
):
    complete, open_card, redeemed = hold_cards(owner, 3)
    visit = click(owner, location, cashier_user, [food_line()])
    for name in ("checkout", "finish"):
        page = cashier_client.get(reverse(name, args=[visit.pk])).content.decode()
        assert open_card.card_number in page and complete.card_number in page
        assert redeemed.card_number not in page
    owner_page = cashier_client.get(reverse("owner_detail", args=[owner.pk])).content.decode()
    assert redeemed.card_number in owner_page
    history = admin_client.get(reverse("owner_history", args=[owner.pk])).content.decode()
    assert redeemed.card_number in history


def test_an_unknown_item_is_matched_afresh_once_the_store_enrolls(
    owner, location, cashier_user, retailer, food
):
    program_card = factories.ProgramCardFactory(purchases_required=5, items=[food])
    first = click(owner, location, cashier_user, [food_line()])
    assert first.lines.get().outcome == "unknown"
    assert first.lines.get().program_card == program_card  # the enroll prompt's program
    factories.EnrollmentFactory(retailer=retailer, program=program_card.program)
    second = click(owner, location, cashier_user, [food_line()])
    assert second.lines.get().outcome == "punched"
    third = click(owner, location, cashier_user, [food_line()])
    assert third.lines.get().outcome == "possible_existing"
    assert active_punches(owner) == 1


def test_a_stale_csrf_token_asks_to_reload(owner, location, cashier_user, program_card, settings):
    from django.test import Client

    visit = click(owner, location, cashier_user, [food_line()])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cashier_user)
    response = browser.post(reverse("checkout_next", args=[visit.pk]), **HX)
    assert response.status_code == 403
    assert "Reload the page" in response.content.decode()
    page = browser.post(reverse("finished", args=[visit.pk]))
    assert "Reload the page" in page.content.decode()
    visit.refresh_from_db()
    assert visit.state == "open"


def test_an_admin_enrolls_from_the_checkout_and_the_item_punches(
    admin_client, retailer, owner, location, cashier_user, food
):
    program_card = factories.ProgramCardFactory(purchases_required=5, items=[food])
    distributor = factories.DistributorFactory()
    distributor.programs.add(program_card.program)
    visit = click(owner, location, cashier_user, [food_line()])
    page = admin_client.get(reverse("checkout", args=[visit.pk])).content.decode()
    assert "the store is not enrolled" in page and "Enroll and add" in page
    response = admin_client.post(
        reverse("checkout_enroll", args=[visit.pk]),
        {"program": program_card.program.pk, "distributor": distributor.pk, "account_number": "A1"},
        **HX,
    )
    assert response.status_code == 200
    assert visit.lines.get().outcome == "punched" and active_punches(owner) == 1
    assert AuditEvent.objects.filter(action="enrollment.created").exists()


def test_a_cashier_cannot_enroll(cashier_client, owner, location, cashier_user, food):
    program_card = factories.ProgramCardFactory(purchases_required=5, items=[food])
    distributor = factories.DistributorFactory()
    distributor.programs.add(program_card.program)
    visit = click(owner, location, cashier_user, [food_line()])
    page = cashier_client.get(reverse("checkout", args=[visit.pk])).content.decode()
    assert "Enroll and add" not in page
    response = cashier_client.post(
        reverse("checkout_enroll", args=[visit.pk]),
        {"program": program_card.program.pk, "distributor": distributor.pk, "account_number": "A1"},
    )
    assert response.status_code == 403 and active_punches(owner) == 0


def test_manage_loyalty_points_sets_this_sales_points_and_is_audited(
    cashier_client, owner, location, cashier_user, program_card
):
    visit = click(owner, location, cashier_user, [food_line()], subtotal="55.00")
    url = reverse("manage_points", args=[visit.pk])
    page = cashier_client.post(url, {"points": "50"}, **HX).content.decode()
    assert 'id="points-visit">50<' in page
    assert AuditEvent.objects.filter(action="points.adjusted").count() == 1
    bad = cashier_client.post(url, {"points": "lots"}, **HX)
    assert bad.status_code == 422 and "whole number" in bad.content.decode()


def test_the_checkout_and_finish_name_the_sale_by_the_receipt_number_not_the_pos_uuid(
    cashier_client, owner, location, cashier_user
):
    """X-Series and Heartland ids are opaque; the cashier knows the sale by its receipt number."""
    uuid = "0698ab21-5fd8-11f1-f954-5ec02d6bd851"
    sale = PosSale(
        sale_id=uuid,
        customer=PosCustomer(pos_customer_id="77"),
        lines=(food_line(),),
        subtotal=Decimal("54.99"),
        total=Decimal("54.99"),
        display_number="1692",
    )
    visit = record_pos_sale(
        owner=owner,
        location=location,
        pos_system="lightspeed",
        sale=sale,
        finalized=False,
        cashier=cashier_user,
    ).visit
    for name in ("checkout", "finish"):
        page = cashier_client.get(reverse(name, args=[visit.pk])).content.decode()
        assert "Sale 1692" in page and uuid not in page
