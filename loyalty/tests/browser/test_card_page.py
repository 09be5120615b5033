"""The pet owner's card page on a phone, and the register scanning its QR code (SPEC §8): the
owner sees the checkout's own progress; the scanner's text (typed, then Enter) finds them."""

import re
from decimal import Decimal

import pytest

from integrations.lightspeed.tests.conftest import make_sale
from loyalty.models import PetOwner, PosLink
from loyalty.rules.astro_ids import astro_id_text
from loyalty.services.card_page import card_page_url
from loyalty.services.sales import SaleLine
from loyalty.tests import factories
from loyalty.tests.pos_sales import press_pos_button

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
FOOD = "036000291452"


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(
        retailer=retailer, first_name="Maya", last_name="Lopez", email="maya@example.com"
    )


@pytest.fixture
def visit(owner, location, cashier_user, retailer):
    food = factories.ItemFactory(gtin=FOOD, description="Acana Puppy 25 lb", size="25 lb")
    factories.enrolled_card(retailer, required=12, items=[food])
    return press_pos_button(
        owner=owner,
        location=location,
        cashier=cashier_user,
        lines=[SaleLine("1", [FOOD], 5, Decimal("54.99"), food.description)],
        subtotal=Decimal("274.95"),
    )


def progress_by_card(page) -> dict[str, str]:
    cards = page.locator("li[data-card]")
    return {
        cards.nth(i).get_attribute("data-card"): cards.nth(i).locator(".progress").inner_text()
        for i in range(cards.count())
    }


def test_the_owner_sees_the_checkouts_progress_on_a_phone(
    page, screenshot, live_server, visit, owner, cashier_user, retailer
):
    factories.PetOwnerFactory(retailer=retailer, first_name="Zebediah", last_name="Quux")
    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    log_in(page, cashier_user)
    page.locator("li[data-card]").first.wait_for()
    at_checkout = progress_by_card(page)
    assert list(at_checkout.values()) == ["5/12"]

    page.context.clear_cookies()  # the owner's phone: nobody logged in
    page.set_viewport_size(PHONE)
    link = card_page_url(owner, base_url=live_server.url)
    response = page.goto(link)
    assert response.status == 200
    assert progress_by_card(page) == at_checkout
    page.get_by_text("7 more to go").wait_for()
    assert page.locator(".qr svg").is_visible()
    assert page.get_by_text(astro_id_text(owner.pk)).is_visible()
    body = page.locator("body").inner_text()
    assert "Zebediah" not in body and "Quux" not in body
    # Phone first: nothing wider than the screen, the QR code large enough to scan.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".qr svg").bounding_box()["width"] >= 180
    assert not page.context.cookies()  # the page set no cookie
    screenshot("30-card-page-phone")

    tampered = re.sub(r"/card/([^/]+)/", lambda m: f"/card/{m.group(1)[:-2]}xx/", link)
    assert page.goto(tampered).status == 404


def test_the_pet_owners_search_goes_straight_to_the_scanned_owner(
    page, live_server, owner, cashier_user, retailer
):
    factories.PetOwnerFactory(retailer=retailer, first_name="Mayan", last_name="Lopes")
    page.goto(f"{live_server.url}/owners/")
    log_in(page, cashier_user)
    search = page.get_by_label("Search pet owners")
    search.click()
    # A scanner is a keyboard: the code's text, fast, then Enter.
    page.keyboard.type(astro_id_text(owner.pk), delay=5)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/owners/{owner.pk}/$"))
    page.get_by_role("heading", name="Maya Lopez").wait_for()


def test_customer_lookup_finds_the_scanned_owner_and_selects_them(
    page, screenshot, live_server, location, account, customer, owner, cashier_user, retailer
):
    factories.PetOwnerFactory(retailer=retailer, first_name="Ana", last_name="Lopez")
    scanned = factories.PetOwnerFactory(retailer=retailer, first_name="Jo", last_name="Ngata")
    sale = make_sale(account, customer)
    page.goto(
        f"{live_server.url}/pos/lightspeed/{location.button_token}/"
        f"?saleID={sale.pk}&customerID={customer.pk}&shopID=1&employeeID=1"
    )
    log_in(page, cashier_user)
    page.get_by_role("heading", name="Customer Lookup").wait_for()
    search = page.get_by_label("Search pet owners")
    search.fill("")
    search.click()
    page.keyboard.type(astro_id_text(scanned.pk), delay=5)
    page.keyboard.press("Enter")
    select = page.get_by_role("button", name="Select Jo Ngata")
    select.wait_for()
    assert page.locator("#results tbody tr").count() == 1
    screenshot("31-customer-lookup-scanned")
    select.click()
    page.wait_for_url(re.compile(r".*/visits/\d+/$"))
    assert PosLink.objects.get(pos_customer_id=str(customer.pk)).owner == scanned


def test_the_link_in_the_one_more_to_go_email_opens_the_checkouts_progress(
    page, live_server, settings, mailoutbox, retailer, location, owner, cashier_user
):
    """SPEC §8 end to end: a punch leaves the owner one short, the email in the outbox carries
    the card-page link, and the owner's phone shows what the cashier's checkout shows."""
    settings.SITE_URL = live_server.url
    settings.OWNER_MESSAGE_QUEUE = "loyalty.services.messages.sending.send_owner_messages"
    PetOwner.objects.filter(pk=owner.pk).update(email_consent=True)
    owner.refresh_from_db()
    food = factories.ItemFactory(gtin=FOOD, description="Acana Puppy 25 lb", size="25 lb")
    factories.enrolled_card(retailer, required=3, items=[food])
    visit = press_pos_button(
        owner=owner,
        location=location,
        cashier=cashier_user,
        lines=[SaleLine("1", [FOOD], 2, Decimal("54.99"), food.description)],
        subtotal=Decimal("109.98"),
    )
    [email] = [m for m in mailoutbox if m.subject.startswith("One more to go")]
    assert email.to == ["maya@example.com"]
    link = re.search(r"https?://\S+/card/\S+/", email.body).group(0)

    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    log_in(page, cashier_user)
    page.locator("li[data-card]").first.wait_for()
    at_checkout = progress_by_card(page)
    assert list(at_checkout.values()) == ["2/3"]

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    assert page.goto(link).status == 200
    assert progress_by_card(page) == at_checkout
