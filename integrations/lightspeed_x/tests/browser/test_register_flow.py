"""The cashier's X-Series flow in a real browser: the sandbox register's Pay → Astro Loyalty
opens Astro in its iframe, speaks the Payments API, and Astro reads every sale from the
sandbox API over real HTTP."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from integrations.lightspeed_x.models import WaitingSale
from loyalty.models import Card, PosLink, Purchase, Redemption, Visit
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories
from simulators.lightspeed_x.models import SaleState, SandboxSale
from simulators.lightspeed_x.tests.factories import make_product, make_sale

pytestmark = pytest.mark.django_db(transaction=True)
TOY_UPC = "012345678905"  # a valid UPC in no program


@pytest.fixture
def linked(retailer, customer):
    owner = factories.PetOwnerFactory(
        retailer=retailer, first_name="Maya", last_name="Lopez", email="maya@example.com"
    )
    link_pos_customer(
        owner=owner,
        pos_system="lightspeed_x",
        pos_customer_id=str(customer.customer_id),
        actor=None,
    )
    return owner


def punches(owner) -> int:
    return Purchase.objects.filter(card__owner=owner, state="active").count()


def sell_screen(live_server, store, sale) -> str:
    path = reverse("lightspeed_x_sandbox:sale", args=[store.domain_prefix, sale.sale_id])
    return live_server.url + path


def pay_with_astro(page, live_server, store, sale, cashier=None):
    """On the Sell screen: Pay, then the Astro Loyalty payment type; log in inside its window
    the first time. Returns Astro's frame."""
    page.goto(sell_screen(live_server, store, sale))
    page.get_by_role("button", name="Pay", exact=True).click()
    page.get_by_role("button", name="Astro Loyalty").click()
    frame = page.frame_locator("#astro-frame")
    if cashier is not None:
        frame.locator("#id_username").fill(cashier.username)
        frame.locator("#id_password").fill("pw-for-tests")
        frame.get_by_role("button", name="Log in").click()
    return frame


def back_on_the_register(page, step: str) -> None:
    """The window closed and the register says what the payment type answered."""
    page.locator("#payment-log li", has_text=f"Astro Loyalty: {step}").wait_for()
    assert not page.locator("#payment-window[open]").count()


def test_a_new_customer_is_created_from_x_series_and_linked(
    page, screenshot, live_server, register, customer, food, cashier_user
):
    sale = make_sale(register, [(food, 1)], customer=customer, saved=False)
    frame = pay_with_astro(page, live_server, register, sale, cashier_user)
    frame.get_by_role("heading", name="Customer Lookup").wait_for()
    assert frame.locator("input[name=q]").input_value() == "Lopez"
    screenshot("xseries-01-customer-lookup")
    frame.get_by_role("link", name="Create New Astro Account").click()
    assert frame.locator("#id_email").input_value() == "maya@example.com"
    assert frame.locator("#id_phone").input_value() == "(555) 222-3344"
    frame.get_by_role("button", name="Save Pet Owner").click()
    frame.get_by_text("Today's Purchases").wait_for()
    assert frame.locator("tr.line-punched").count() == 1
    screenshot("xseries-02-checkout-in-the-register")
    owner = PosLink.objects.get(pos_customer_id=str(customer.customer_id)).owner
    assert owner.first_name == "Maya" and punches(owner) == 1


def test_a_linked_customer_goes_straight_to_checkout(
    page, live_server, register, customer, food, cashier_user, linked
):
    sale = make_sale(register, [(food, 1)], customer=customer, saved=False)
    frame = pay_with_astro(page, live_server, register, sale, cashier_user)
    frame.get_by_role("heading", name="Maya Lopez").wait_for()
    assert frame.locator(".card .progress").first.inner_text() == "1/3"
    assert punches(linked) == 1


def test_opening_astro_again_for_the_same_sale_adds_nothing_twice(
    page, screenshot, live_server, register, customer, food, cashier_user, linked
):
    sale = make_sale(register, [(food, 1)], customer=customer, saved=False)
    frame = pay_with_astro(page, live_server, register, sale, cashier_user)
    frame.get_by_role("heading", name="Maya Lopez").wait_for()
    page.locator("[data-close-window]").click()  # the register's own Close
    back_on_the_register(page, "EXIT")

    frame = pay_with_astro(page, live_server, register, sale)
    frame.get_by_text("Possible Existing Transaction").wait_for()
    screenshot("xseries-03-possible-existing-transaction")
    assert punches(linked) == 1 and Visit.objects.count() == 2


def test_a_refund_shows_under_todays_returns_and_is_removed_when_asked(
    page, screenshot, live_server, register, customer, food, cashier_user, linked
):
    bought = make_sale(register, [(food, 2)], customer=customer, saved=False)
    frame = pay_with_astro(page, live_server, register, bought, cashier_user)
    frame.get_by_role("heading", name="Maya Lopez").wait_for()
    page.locator("[data-close-window]").click()
    back_on_the_register(page, "EXIT")
    page.get_by_role("button", name="Cash").click()  # paid: the sale is closed
    page.get_by_role("button", name="Return items").click()
    page.get_by_role("heading", name=re.compile(r"Return #")).wait_for()
    refund = SandboxSale.objects.get(return_for__isnull=False)

    frame = pay_with_astro(page, live_server, register, refund)
    frame.get_by_text("Today's Returns").wait_for()
    screenshot("xseries-04-todays-returns")
    assert punches(linked) == 2  # without the click the purchases stay
    frame.get_by_role("button", name="Remove From Astro FBC").first.click()
    frame.get_by_text("Removed From Astro FBC").first.wait_for()
    assert punches(linked) < 2


def test_an_unknown_item_is_shown_as_one(
    page, live_server, register, customer, cashier_user, linked
):
    toy = make_product(register, "Rope Chew Toy", "9.49", upc=TOY_UPC)
    sale = make_sale(register, [(toy, 1)], customer=customer, saved=False)
    frame = pay_with_astro(page, live_server, register, sale, cashier_user)
    row = frame.locator("tr.line-unknown")
    row.wait_for()
    assert "Unknown Item" in row.inner_text()
    assert punches(linked) == 0


def test_a_completed_card_is_redeemed_on_finish_and_finished_goes_back_to_the_register(
    page, screenshot, live_server, register, customer, food, cashier_user, linked
):
    sale = make_sale(register, [(food, 3)], customer=customer, saved=False)
    frame = pay_with_astro(page, live_server, register, sale, cashier_user)
    frame.get_by_role("button", name="Checkout").click()
    dialog = frame.get_by_role("dialog")
    dialog.get_by_label("Reason").select_option(label="Multiple pets")
    dialog.get_by_role("button", name="Continue").click()
    frame.get_by_text("Reward ready!").wait_for()
    frame.get_by_role("button", name="Go to Redemption").click()
    frame.get_by_label("Kibble 25 lb").check()
    frame.get_by_role("button", name="Redeem Selected Items").click()
    reward = frame.locator("#rewards li")
    reward.wait_for()
    redemption = Redemption.objects.get(card__owner=linked)
    assert redemption.reward_id in reward.inner_text()
    assert Card.objects.get(pk=redemption.card_id).status == "redeemed"
    screenshot("xseries-05-finish-rewards-redeemed")

    frame.get_by_role("button", name="Finished").click()
    back_on_the_register(page, "EXIT")
    screenshot("xseries-06-back-on-the-register")
    # Astro took no money: the whole sale is still to pay, and Cash completes it.
    sale.refresh_from_db()
    assert sale.paid == 0 and sale.state == SaleState.PENDING
    page.get_by_role("button", name="Cash").click()
    page.get_by_text("Completed").first.wait_for()


def test_a_sale_the_pos_never_confirms_adds_no_punch(
    page, screenshot, live_server, register, customer, food, cashier_user, linked
):
    register.save_on_pay = False  # the register keeps the sale to itself until it is paid
    register.save()
    sale = make_sale(register, [(food, 2)], customer=customer, saved=False)
    frame = pay_with_astro(page, live_server, register, sale, cashier_user)
    frame.get_by_role("heading", name="Waiting for Lightspeed to save this sale").wait_for()
    assert frame.locator("tr.line-waiting").first.inner_text().count("Not added yet") == 1
    screenshot("xseries-07-waiting-for-lightspeed")
    frame.get_by_role("button", name="Back to the sale").click()
    back_on_the_register(page, "EXIT")
    page.get_by_role("button", name="Void").click()
    page.get_by_text("Voided").first.wait_for()

    assert punches(linked) == 0 and not Visit.objects.exists()
    assert WaitingSale.objects.get().state == "waiting"  # nothing the API ever confirmed


def test_a_sale_saved_after_astro_closed_is_added_once_by_the_webhook(
    page, live_server, register, customer, food, cashier_user, linked, in_process_tasks
):
    register.save_on_pay = False
    register.save()
    sale = make_sale(register, [(food, 2)], customer=customer, saved=False)
    frame = pay_with_astro(page, live_server, register, sale, cashier_user)
    frame.get_by_role("heading", name="Waiting for Lightspeed to save this sale").wait_for()
    frame.get_by_role("button", name="Back to the sale").click()
    back_on_the_register(page, "EXIT")
    page.get_by_role("button", name="Cash").click()  # paid: saved, and sale.update is sent
    page.get_by_text("Completed").first.wait_for()

    assert punches(linked) == 2
    assert Visit.objects.get().state == "finished"
    assert WaitingSale.objects.get().state == "recorded"
