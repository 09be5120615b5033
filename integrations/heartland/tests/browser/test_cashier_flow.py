"""The cashier's whole Heartland Retail flow in a real browser: the sandbox POS rings a ticket
up and frames Astro's UI extension; its Astro Loyalty button sends the register to Astro, which
reads the ticket from the sandbox API over real HTTP; Finished comes back to the ticket."""

import re

import pytest

from loyalty.models import Card, PosLink, Purchase, Redemption, Visit
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories
from simulators.heartland.models import SandboxTicket
from simulators.heartland.tests.factories import FOOD_UPC, make_customer

from .conftest import TOY_UPC, log_in

pytestmark = pytest.mark.django_db(transaction=True)

CHECKOUT_URL = re.compile(r".*/visits/\d+/$")
FINISH_URL = re.compile(r".*/visits/\d+/finish/$")
TICKET_URL = re.compile(r".*/sandbox/heartland/pos/tickets/(\d+)/(\?mode=return)?$")


@pytest.fixture
def customer(account):
    return make_customer(account, phone="(555) 222-3344")


@pytest.fixture
def linked(location, customer):
    owner = factories.PetOwnerFactory(
        retailer=location.retailer, first_name="Maya", last_name="Lopez", email="maya@example.com"
    )
    link_pos_customer(
        owner=owner, pos_system="heartland", pos_customer_id=str(customer.pk), actor=None
    )
    return owner


def ring_up(page, live_server, items, customer=None, *, mode="sale", hold=False) -> int:
    """At the sandbox POS: New ticket, the customer, each (code, qty); the ticket's id."""
    page.goto(f"{live_server.url}/sandbox/heartland/pos/")
    page.get_by_role("button", name="New ticket").click()
    page.wait_for_url(TICKET_URL)
    if hold:
        # The register stops saving to Heartland; its next ticket stays on the register.
        page.get_by_role("button", name="Hold sync (sandbox)").click()
        page.get_by_text("Holding changes on this register").wait_for()
        page.get_by_role("link", name="Tickets").click()
        page.get_by_role("button", name="New ticket").click()
        page.wait_for_url(TICKET_URL)
    if customer is not None:
        page.locator("#id_customer").select_option(label=str(customer))
        page.get_by_role("button", name="Add customer to ticket").click()
        page.get_by_text(f"{customer} was added to the ticket.").wait_for()
    if mode == "return":
        page.get_by_role("link", name="Return", exact=True).click()
        page.get_by_text("Return mode").wait_for()
    for code, qty in items:
        page.locator("#scan-code").fill(code)
        page.keyboard.press("Enter")  # a scanner is a keyboard ending in Enter
        page.locator(".hl-msg").first.wait_for()
        if qty != 1:
            page.get_by_label("Qty of line", exact=False).last.fill(str(qty))
            page.get_by_role("button", name="Set").last.click()
            page.wait_for_load_state()
    return int(TICKET_URL.match(page.url).group(1))


def press_astro(page, cashier=None):
    """Astro Loyalty, in the UI extension the POS shows on the ticket."""
    page.locator("#astro-extension:not(.is-hidden)").wait_for()
    page.frame_locator("#astro-extension").get_by_role("link", name="Astro Loyalty").click()
    if cashier is not None:
        page.wait_for_url(re.compile(r".*/login/.*"))
        log_in(page, cashier)


def open_ticket(page, live_server, ticket_id):
    page.goto(f"{live_server.url}/sandbox/heartland/pos/tickets/{ticket_id}/")


def active_punches(owner):
    return Purchase.objects.filter(card__owner=owner, state="active").count()


def card_progress(page):
    return page.locator(".card .progress").first.inner_text()


def test_a_new_customer_is_created_from_heartland_and_linked(
    page, screenshot, live_server, account, program, customer, cashier_user
):
    ring_up(page, live_server, [(FOOD_UPC, 1)], customer)
    screenshot("00-sandbox-pos-ticket")
    press_astro(page, cashier_user)
    page.get_by_role("heading", name="Customer Lookup").wait_for()
    assert page.locator("input[name=q]").input_value() == "Lopez"
    assert "Heartland customer: Maya Lopez" in page.locator(".meta").first.inner_text()
    screenshot("01-customer-lookup")
    page.get_by_role("link", name="Create New Astro Account").click()
    assert page.locator("#id_first_name").input_value() == "Maya"
    assert page.locator("#id_email").input_value() == "maya@example.com"
    # Heartland keeps the phone on the customer's address; Astro read it from there.
    assert page.locator("#id_phone").input_value() == "(555) 222-3344"
    screenshot("02-create-new-astro-account")
    page.get_by_role("button", name="Save Pet Owner").click()
    page.wait_for_url(CHECKOUT_URL)
    assert page.locator("tr.line-punched").count() == 1
    screenshot("03-checkout")
    link = PosLink.objects.get(pos_system="heartland", pos_customer_id=str(customer.pk))
    assert link.owner.first_name == "Maya" and active_punches(link.owner) == 1


def test_a_linked_customer_goes_straight_to_checkout(
    page, screenshot, live_server, account, program, customer, cashier_user, linked
):
    ring_up(page, live_server, [(FOOD_UPC, 1)], customer)
    press_astro(page, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    assert page.get_by_role("heading", name="Maya Lopez").is_visible()
    assert card_progress(page) == "1/3"
    screenshot("04-linked-checkout")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_opening_astro_again_for_the_same_ticket_doubles_nothing(
    page, screenshot, live_server, account, program, customer, cashier_user, linked
):
    ticket_id = ring_up(page, live_server, [(FOOD_UPC, 1)], customer)
    press_astro(page, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    open_ticket(page, live_server, ticket_id)
    press_astro(page)
    page.get_by_text("Possible Existing Transaction").wait_for()
    screenshot("05-possible-existing-transaction")
    assert active_punches(linked) == 1
    # The cashier finishes without choosing: Remove is what happens.
    page.get_by_role("button", name="Checkout").click()
    page.wait_for_url(FINISH_URL)
    page.get_by_role("button", name="Finished").click()
    page.wait_for_url(TICKET_URL)
    assert active_punches(linked) == 1 and Visit.objects.filter(owner=linked).count() == 2


def test_a_return_removes_the_most_recent_purchase_only_when_asked(
    page, screenshot, live_server, account, program, customer, cashier_user, linked
):
    ring_up(page, live_server, [(FOOD_UPC, 2)], customer)
    press_astro(page, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    assert active_punches(linked) == 2
    ring_up(page, live_server, [(FOOD_UPC, 1)], customer, mode="return")
    press_astro(page)
    page.get_by_text("Today's Returns").wait_for()
    screenshot("06-todays-returns")
    assert active_punches(linked) == 2  # without the click the purchases stay
    page.get_by_role("button", name="Remove From Astro FBC").click()
    page.get_by_text("Removed From Astro FBC").wait_for()
    assert active_punches(linked) == 1
    newest = Purchase.objects.filter(card__owner=linked).order_by("-purchased_at", "-id")[0]
    assert newest.state == "returned"


def test_an_unknown_item_says_why(
    page, screenshot, live_server, account, program, customer, cashier_user, linked
):
    ring_up(page, live_server, [(TOY_UPC, 1), (FOOD_UPC, 1)], customer)
    press_astro(page, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    row = page.locator("tr.line-unknown")
    assert "Unknown Item" in row.inner_text()
    assert "No program has this UPC or item number." in row.inner_text()
    screenshot("07-unknown-item")
    assert active_punches(linked) == 1


def test_a_completed_card_is_redeemed_on_finish_and_finished_returns_to_the_ticket(
    page, screenshot, live_server, account, program, customer, cashier_user, linked
):
    ticket_id = ring_up(page, live_server, [(FOOD_UPC, 3)], customer)
    press_astro(page, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    page.get_by_role("button", name="Checkout").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason").select_option(label="Multiple pets")
    dialog.get_by_role("button", name="Continue").click()
    page.get_by_text("Reward ready!").wait_for()
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
    # Back on the very ticket the cashier pressed Astro Loyalty on (its pos_url).
    page.wait_for_url(TICKET_URL)
    assert TICKET_URL.match(page.url).group(1) == str(ticket_id)
    page.get_by_role("heading", name=f"Ticket #{100000 + ticket_id}").wait_for()
    screenshot("09-back-at-the-ticket")


def test_a_ticket_heartland_never_confirms_adds_no_punch(
    page, screenshot, live_server, account, program, customer, cashier_user, linked
):
    """The register shows the kibble, but it has not saved the ticket to Heartland: Astro asks
    the API, which does not know it, and records nothing until it does."""
    ticket_id = ring_up(page, live_server, [(FOOD_UPC, 2)], customer, hold=True)
    assert not SandboxTicket.objects.get(pk=ticket_id).saved
    press_astro(page, cashier_user)
    page.get_by_role("heading", name="Heartland has not saved this ticket").wait_for()
    screenshot("10-ticket-not-confirmed")
    assert not Visit.objects.exists() and active_punches(linked) == 0

    # A link edited by hand names a ticket of no one's: the same answer, nothing recorded.
    page.goto(page.url.replace(f"ticket_id={ticket_id}", "ticket_id=999999"))
    page.get_by_role("heading", name="Heartland has not saved this ticket").wait_for()
    assert not Visit.objects.exists()

    open_ticket(page, live_server, ticket_id)
    page.get_by_role("button", name="Sync now").click()
    page.get_by_text("Saved to Heartland as you go.").wait_for()
    press_astro(page)
    page.wait_for_url(CHECKOUT_URL)
    assert active_punches(linked) == 2
