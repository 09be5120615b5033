"""The cashier's whole Lightspeed flow in a real browser, against the sandbox over real HTTP."""

import re

import pytest
from playwright.sync_api import expect

from integrations.lightspeed.tests.conftest import make_sale
from loyalty.models import Card, PosLink, Purchase, Redemption
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories
from simulators.lightspeed.models import SandboxItem, SandboxShop

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

FOOD = "036000291452"
TOY = "012345678905"  # a valid UPC in no program
CHECKOUT_URL = re.compile(r".*/visits/\d+/$")
FINISH_URL = re.compile(r".*/visits/\d+/finish/$")


@pytest.fixture
def store(live_server, location, account):
    """A store returning to the sandbox register, with a Buy 3 program on the kibble."""
    location.pos_return_url = f"{live_server.url}/sandbox/lightspeed/register/"
    location.save()
    food = factories.ItemFactory(gtin=FOOD, description="Kibble 25 lb")
    factories.enrolled_card(location.retailer, required=3, items=[food])
    return location


@pytest.fixture
def linked(store, customer):
    owner = factories.PetOwnerFactory(
        retailer=store.retailer, first_name="Maya", last_name="Lopez", email="maya@example.com"
    )
    link_pos_customer(
        owner=owner, pos_system="lightspeed", pos_customer_id=str(customer.pk), actor=None
    )
    return owner


def press_button(page, live_server, location, sale, cashier, *, logged_in=False):
    """What Lightspeed's Astro Loyalty button does: open the URL with the sale appended."""
    customer_id = sale.customer_id or 0
    page.goto(
        f"{live_server.url}/pos/lightspeed/{location.button_token}/"
        f"?saleID={sale.pk}&customerID={customer_id}&shopID=1&employeeID=1"
    )
    if not logged_in:
        log_in(page, cashier)


def active_punches(owner):
    return Purchase.objects.filter(card__owner=owner, state="active").count()


def card_progress(page):
    return page.locator(".card .progress").first.inner_text()


def test_a_new_customer_is_created_from_the_pos_and_linked(
    page, screenshot, live_server, store, account, customer, cashier_user
):
    sale = make_sale(account, customer)
    press_button(page, live_server, store, sale, cashier_user)
    page.get_by_role("heading", name="Customer Lookup").wait_for()
    assert page.locator("input[name=q]").input_value() == "Lopez"
    screenshot("01-customer-lookup")
    page.get_by_role("link", name="Create New Astro Account").click()
    assert page.locator("#id_first_name").input_value() == "Maya"
    assert page.locator("#id_email").input_value() == "maya@example.com"
    assert page.locator("#id_phone").input_value() == "(555) 222-3344"
    screenshot("02-create-new-astro-account")
    page.get_by_role("button", name="Save Pet Owner").click()
    page.wait_for_url(CHECKOUT_URL)
    assert page.get_by_text("Today's Purchases").is_visible()
    assert page.locator("tr.line-punched").count() == 1
    screenshot("03-checkout")
    link = PosLink.objects.get(pos_customer_id=str(customer.pk))
    assert link.owner.first_name == "Maya" and active_punches(link.owner) == 1


def test_a_linked_customer_goes_straight_to_checkout(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    sale = make_sale(account, customer)
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    assert page.get_by_role("heading", name="Maya Lopez").is_visible()
    assert card_progress(page) == "1/3"
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways_scroll)
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
    screenshot("09-checkout-tablet")
    assert page.evaluate(no_sideways_scroll)
    assert page.get_by_role("button", name="Checkout").is_visible()


def test_a_second_click_shows_possible_existing_with_add_anyway_and_default_remove(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    sale = make_sale(account, customer)
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    press_button(page, live_server, store, sale, cashier_user, logged_in=True)
    page.get_by_text("Possible Existing Transaction").wait_for()
    screenshot("04-possible-existing-transaction")
    page.get_by_role("button", name="Add Anyway").click()
    page.locator("tr.line-punched").wait_for()
    assert card_progress(page) == "2/3" and active_punches(linked) == 2

    # A third click, and the cashier finishes without choosing: Remove is what happens.
    press_button(page, live_server, store, sale, cashier_user, logged_in=True)
    page.get_by_text("Possible Existing Transaction").wait_for()
    page.get_by_role("button", name="Checkout").click()
    page.wait_for_url(FINISH_URL)
    page.get_by_role("button", name="Finished").click()
    page.wait_for_url(re.compile(r".*/sandbox/lightspeed/register/.*"))
    assert active_punches(linked) == 2


def test_a_refund_removes_the_most_recent_purchase_only_when_asked(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    bought = make_sale(account, customer, [(FOOD, 2)])
    press_button(page, live_server, store, bought, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    refund = make_sale(account, customer, [(FOOD, -1)])
    press_button(page, live_server, store, refund, cashier_user, logged_in=True)
    page.get_by_text("Today's Returns").wait_for()
    screenshot("05-todays-returns")
    assert active_punches(linked) == 2  # without the click the purchases stay
    page.get_by_role("button", name="Remove From Astro FBC").click()
    page.get_by_text("Removed From Astro FBC").wait_for()
    assert active_punches(linked) == 1
    newest = Purchase.objects.filter(card__owner=linked).order_by("-purchased_at", "-id")[0]
    assert newest.state == "returned"


def test_an_unknown_item_says_why_and_a_scanned_upc_adds_a_purchase(
    page, live_server, store, account, customer, cashier_user, linked
):
    sale = make_sale(account, customer, [(TOY, 1)])
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    row = page.locator("tr.line-unknown")
    assert "Unknown Item" in row.inner_text()
    assert "No program has this UPC or item number." in row.inner_text()
    # A scanner is a keyboard: the field has focus, the code ends in Enter.
    page.keyboard.type(FOOD)
    page.keyboard.press("Enter")
    page.locator("tr.line-punched").wait_for()
    assert active_punches(linked) == 1
    assert page.evaluate("document.activeElement.id") == "scan-code"


def test_several_punches_on_a_card_ask_for_a_reason_in_a_modal(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    sale = make_sale(account, customer, [(FOOD, 2)])
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    checkout = page.get_by_role("button", name="Checkout")
    checkout.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("More than one purchase on a card").wait_for()
    # The assertions wait (up to their timeout) for focus, which moves after the dialog shows.
    expect(page.locator("dialog :focus")).to_have_count(1)
    page.keyboard.press("Escape")  # closes, and focus returns to Checkout
    dialog.wait_for(state="detached")
    expect(checkout).to_be_focused()
    checkout.click()
    dialog.get_by_label("Reason").select_option(label="Stocking up")
    screenshot("06-multi-purchase-reason")
    dialog.get_by_role("button", name="Continue").click()
    page.wait_for_url(FINISH_URL)
    reasons = set(
        Purchase.objects.filter(card__owner=linked).values_list("multi_purchase_reason", flat=True)
    )
    assert reasons == {"stocking_up"}


def test_a_completed_card_is_redeemed_on_finish_and_finished_returns_to_the_pos(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    sale = make_sale(account, customer, [(FOOD, 3)])
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    page.get_by_role("button", name="Checkout").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason").select_option(label="Multiple pets")
    dialog.get_by_role("button", name="Continue").click()
    page.get_by_text("Reward ready!").wait_for()
    screenshot("07-reward-ready")
    page.get_by_role("button", name="Go to Redemption").click()
    page.wait_for_url(FINISH_URL)
    page.get_by_label("Kibble 25 lb").check()
    page.get_by_role("button", name="Redeem Selected Items").click()
    reward = page.locator("#rewards li")
    reward.wait_for()
    redemption = Redemption.objects.get(card__owner=linked)
    assert redemption.reward_id in reward.inner_text()
    screenshot("08-finish-rewards-redeemed")
    assert Card.objects.get(pk=redemption.card_id).status == "redeemed"
    page.get_by_role("button", name="Finished").click()
    # The sandbox register opens the sale Astro names (?saleID=N redirects to it).
    page.wait_for_url(
        re.compile(rf".*/sandbox/lightspeed/register/(\?saleID={sale.pk}|{sale.pk}/)$")
    )


def test_incorrect_customer_undoes_the_import_and_the_link(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    sale = make_sale(account, customer, [(FOOD, 2)])
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    page.get_by_role("button", name="Incorrect Customer").click()
    # Astro's own dialog, never the browser's confirm box.
    dialog = page.get_by_role("dialog", name="Incorrect Customer?")
    expect(dialog.get_by_text("Remove everything this sale added to Maya Lopez")).to_be_visible()
    screenshot("10-incorrect-customer-dialog")
    dialog.get_by_role("button", name="Remove and go back to the POS").click()
    page.wait_for_url(re.compile(r".*/sandbox/lightspeed/register/.*"))
    assert active_punches(linked) == 0
    assert not PosLink.objects.filter(owner=linked).exists()


def test_the_register_scans_an_item_and_its_astro_loyalty_button_opens_the_sale(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    """The whole POS side: the sandbox register, a scan ending in Enter, the button."""
    SandboxShop.objects.create(
        account=account,
        shop_id="1",
        name="Main Street",
        button_url=f"{live_server.url}/pos/lightspeed/{store.button_token}/",
    )
    SandboxItem.objects.create(account=account, upc=FOOD, description="Kibble 25 lb", price=54)
    sale = make_sale(account, customer, lines=())
    page.goto(f"{live_server.url}/sandbox/lightspeed/register/{sale.pk}/")
    page.locator("#scan-code").fill(FOOD)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    screenshot("00-sandbox-register", axe=False)  # the POS's screen, not Astro's
    page.get_by_role("link", name="Astro Loyalty").click()
    log_in(page, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    assert page.locator("tr.line-punched").count() == 1
    assert active_punches(linked) == 1
