"""The counter as a tired cashier with a scanner meets it (issue: counter-ready): catalog
collisions refused, point rewards, Undo and its corrections at the distributor's receiver, scan
errors in view, dialogs that keep answers, and a checkout that fits 1024×768 with 30 lines.
Every screen and dialog passes axe-core with no serious or critical violation (screenshot())."""

import re
import time
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from astro_site.celery import app
from integrations.lightspeed.tests.conftest import make_sale
from loyalty.models import (
    Card,
    CashBackPlan,
    DistributorReport,
    Item,
    PointReward,
    PointsEntry,
    Purchase,
    Redemption,
)
from loyalty.services.distributor_reports.sending import send_due_reports
from loyalty.services.owners import link_pos_customer
from loyalty.services.points import points_balance
from loyalty.services.redemptions import redeem_card
from loyalty.tests import factories
from simulators.distributor.models import Delivery, ReceiverState

from .conftest import log_in
from .test_cashier_flow import CHECKOUT_URL, FINISH_URL, FOOD, press_button

pytestmark = pytest.mark.django_db(transaction=True)

FROMM_UPC = "072705101061"
TREAT = "012345678905"


@pytest.fixture
def in_process_sends(settings):
    """Reports go out right after their commit, in this process, as in the demo; a retry after
    a passing error is due at once."""
    settings.REPORT_RETRY_BASE_SECONDS = 0
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def store(live_server, location, account, in_process_sends):
    """A store returning to the sandbox register; its Buy 3 kibble card (kibble or a treat as
    the free item) is reported to the distributor receiver sandbox over real HTTP."""
    location.pos_return_url = f"{live_server.url}/sandbox/lightspeed/register/"
    location.save()
    food = factories.ItemFactory(gtin=FOOD, description="Kibble", size="25 lb")
    treat = factories.ItemFactory(gtin=TREAT, description="Biscuits", size="1 lb")
    card = factories.ProgramCardFactory(purchases_required=3, items=[food])
    card.redeemable_items.add(treat)
    distributor = factories.DistributorFactory(
        delivery_method="https",
        endpoint_url=f"{live_server.url}/sandbox/distributor/reports/",
        signing_secret=settings.DISTRIBUTOR_SANDBOX_SECRET,
    )
    factories.EnrollmentFactory(
        retailer=location.retailer, program=card.program, distributor=distributor
    )
    ReceiverState.current()
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


def received() -> list[str]:
    """What the distributor's receiver got, oldest first: one kind per report."""
    return list(Delivery.objects.order_by("received_at", "id").values_list("kind", flat=True))


def wait_for_received(expected: list[str], timeout: float = 15) -> bool:
    """The sends happen right after each commit; one that met a passing error (the sandbox
    shares the test's database) is retried by the catch-up, as in production."""
    deadline = time.monotonic() + timeout
    while received() != expected and time.monotonic() < deadline:
        send_due_reports()
        time.sleep(0.2)
    states = list(DistributorReport.objects.values_list("kind", "state", "last_error"))
    assert received() == expected, states
    return True


def receiver_mode(mode: str) -> None:
    ReceiverState.objects.filter(pk=1).update(mode=mode)


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def to_finish_with_a_complete_card(page, live_server, store, account, customer, cashier):
    sale = make_sale(account, customer, [(FOOD, 3)])
    press_button(page, live_server, store, sale, cashier)
    page.wait_for_url(CHECKOUT_URL)
    page.get_by_role("button", name="Checkout").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason").select_option(label="Stocking up")
    dialog.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Go to Redemption").click()
    page.wait_for_url(FINISH_URL)
    return sale


def test_a_custom_program_with_a_fromm_code_is_refused_and_the_fromm_card_still_punches(
    page, screenshot, live_server, store, account, customer, admin_user, linked
):
    fromm = factories.ItemFactory(gtin=FROMM_UPC, description="Fromm Gold Adult", size="5 lb")
    program_card = factories.enrolled_card(store.retailer, required=12, items=[fromm])
    program_card.program.name = "Fromm Four-Star"
    program_card.program.save()
    page.goto(f"{live_server.url}/custom-programs/new/buy-x-get-y/")
    log_in(page, admin_user)
    page.get_by_label("Program name").fill("Food Club")
    page.get_by_label("Purchases needed for the reward (X)").fill("10")
    page.get_by_label("Qualifying item numbers or UPCs").fill("0072705101061")
    page.get_by_label("Redeemable item numbers or UPCs").fill("TREAT-1")
    page.get_by_role("button", name="Save program").click()
    message = page.get_by_text(
        "0072705101061 is the code of “Fromm Gold Adult 5 lb”, an item of Fromm Four-Star."
    )
    expect(message).to_be_visible()
    screenshot("11-custom-program-code-refused")
    assert not Item.objects.filter(retailer=store.retailer, gtin=fromm.gtin).exists()

    sale = make_sale(account, customer, [(FROMM_UPC, 1)])
    press_button(page, live_server, store, sale, admin_user, logged_in=True)
    page.wait_for_url(CHECKOUT_URL)
    expect(page.locator("tr.line-punched")).to_contain_text("Fromm Four-Star")
    assert Purchase.objects.get(card__owner=linked, item=fromm).state == "active"


def test_a_point_reward_is_redeemed_on_finish_and_the_balance_goes_down(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    PointsEntry.objects.create(retailer=store.retailer, owner=linked, kind="manual", points=911)
    PointReward.objects.create(retailer=store.retailer, name="$5 off", points_required=250)
    sale = make_sale(account, customer, [(TREAT, 1)], price="10.00")
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    expect(page.locator("#point-rewards-ready")).to_contain_text("Reward ready: $5 off")
    assert page.locator("#points-balance").inner_text() == "921"
    # Manage Loyalty Points: a -5 adjustment needs its reason, and says when it is saved.
    page.get_by_role("button", name="Manage Loyalty Points").click()
    dialog = page.get_by_role("dialog", name="Manage Loyalty Points")
    dialog.get_by_label("Points to add or take away (e.g. -5)").fill("-5")
    dialog.get_by_role("button", name="Save adjustment").click()
    expect(dialog.get_by_label("Points to add or take away (e.g. -5)")).to_have_value("-5")
    screenshot("22-manage-loyalty-points")
    dialog.get_by_label("Reason").fill("$5 discount on the sale")
    dialog.get_by_role("button", name="Save adjustment").click()
    expect(
        page.locator(".points-box").get_by_text("Saved: -5 points ($5 discount on the sale).")
    ).to_be_visible()
    expect(page.locator("#points-balance")).to_have_text("916")
    page.get_by_role("button", name="Checkout").click()
    page.wait_for_url(FINISH_URL)
    screenshot("12-finish-point-reward")
    page.get_by_role("button", name="Redeem $5 off for 250 points").click()
    expect(page.locator("#points-balance")).to_have_text("666")
    entry = PointsEntry.objects.get(kind="redeemed")
    expect(page.locator("#rewards")).to_contain_text(f"reward {entry.reward_id}")
    assert points_balance(linked) == 666 and entry.points == -250


def test_undo_before_finished_withdraws_a_pending_report_and_corrects_a_sent_one(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    to_finish_with_a_complete_card(page, live_server, store, account, customer, cashier_user)
    # The distributor is down: the report waits in the outbox.
    receiver_mode("down")
    kibble = page.get_by_label("Kibble 25 lb")
    kibble.check()
    page.get_by_role("button", name="Redeem Selected Items").click()
    first = page.locator("#rewards li").first
    first.wait_for()
    screenshot("13-finish-undo")
    first.get_by_role("button", name="Undo").click()
    expect(page.locator("#rewards").get_by_text("undone: card")).to_be_visible()
    expect(page.get_by_role("button", name="Redeem Selected Items")).to_be_visible()
    receiver_mode("up")
    assert send_due_reports() == 0
    assert received() == []  # withdrawn: never sent

    # Redeemed again while the distributor is up: sent at once; Undo sends one correction.
    page.get_by_label("Kibble 25 lb").check()
    page.get_by_role("button", name="Redeem Selected Items").click()
    page.locator("#rewards li").first.get_by_role("button", name="Undo").click()
    expect(page.locator("#rewards").get_by_text("undone: card")).to_be_visible()
    assert wait_for_received(["redemption", "cancel"])
    assert Card.objects.get(owner=linked, status="complete")
    assert Redemption.objects.filter(undone_at__isnull=False).count() == 2


def test_history_remove_and_reselect_then_remove_only_send_one_correction_each(
    page, screenshot, live_server, store, account, customer, admin_user, linked
):
    program_card = store.retailer.enrollments.get().program.cards.get()
    card = factories.CardFactory(owner=linked, program_card=program_card, status="complete")
    food = program_card.qualifying_items.get()
    for _ in range(3):
        factories.PurchaseFactory(card=card, item=food)
    redeem_card(card=card, item_id=food.pk)
    assert wait_for_received(["redemption"])
    page.goto(f"{live_server.url}/owners/{linked.pk}/history/")
    log_in(page, admin_user)
    page.get_by_text("Remove and Reselect").first.click()
    page.get_by_label("Biscuits 1 lb").check()
    screenshot("14-history-remove-and-reselect")
    page.get_by_role("button", name="Remove and Reselect").click()
    expect(page.get_by_text("A correction goes to the distributor.")).to_be_visible()
    assert wait_for_received(["redemption", "cancel_replace"])
    assert Redemption.objects.get(undone_at__isnull=True).item.description == "Biscuits"

    page.get_by_role("button", name="Remove Only").click()
    expect(page.get_by_text("the card is complete again")).to_be_visible()
    screenshot("15-history-after-remove-only")
    assert wait_for_received(["redemption", "cancel_replace", "cancel"])
    card.refresh_from_db()
    assert card.status == "complete" and card.purchases.filter(state="active").count() == 3


def test_a_scan_error_is_in_view_with_the_code_kept(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    lines = [(factories.make_upc(900 + n), 1) for n in range(6)]
    sale = make_sale(account, customer, lines)
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    assert page.evaluate("window.scrollY") == 0
    page.keyboard.type("072705101062")
    page.keyboard.press("Enter")
    error = page.locator("#scan-error")
    expect(error).to_have_text("The check digit of 072705101062 should be 1, not 2.")
    assert in_viewport(page, error)
    scan = page.locator("#scan-code")
    expect(scan).to_have_value("072705101062")
    expect(scan).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(re.compile("check digit"))
    screenshot("16-scan-error-in-view", full_page=False)


def test_the_multi_purchase_dialog_keeps_every_answer_and_names_the_card(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    wash = factories.ItemFactory(gtin=factories.make_upc(950), description="Dog wash")
    other = factories.enrolled_card(store.retailer, required=8, items=[wash])
    other.program.name = "Wash Club"
    other.program.save()
    sale = make_sale(account, customer, [(FOOD, 2), (wash.gtin, 2)])
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    page.get_by_role("button", name="Checkout").click()
    dialog = page.get_by_role("dialog")
    reasons, notes = dialog.get_by_label("Reason"), dialog.get_by_label("Note (needed for Other)")
    reasons.nth(0).select_option(label="Other (add a note)")
    reasons.nth(1).select_option(label="Multiple pets")
    notes.nth(1).fill("Rex and Fido")
    dialog.get_by_role("button", name="Continue").click()
    expect(dialog.get_by_text("needs a change below")).to_be_visible()
    problem = dialog.locator(".has-error .error")
    expect(problem).to_contain_text("(card C")
    expect(problem).to_contain_text("Add a note saying why")
    expect(reasons.nth(0)).to_have_value("other")
    expect(reasons.nth(1)).to_have_value("multiple_pets")
    expect(notes.nth(1)).to_have_value("Rex and Fido")
    expect(notes.nth(0)).to_be_focused()
    screenshot("17-multi-purchase-kept-answers")
    notes.nth(0).fill("Puppy class")
    dialog.get_by_role("button", name="Continue").click()
    page.wait_for_url(FINISH_URL)
    assert set(Purchase.objects.values_list("multi_purchase_reason", flat=True)) == {
        "other",
        "multiple_pets",
    }


def test_thirty_lines_keep_the_name_points_and_checkout_in_view(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    program = factories.ProgramFactory(
        kind="cash_back", retailer=store.retailer, manufacturer=None, name="Cash Back Club"
    )
    CashBackPlan.objects.create(program=program, percent=5, purchases_required=3)
    sale = make_sale(account, customer, [(factories.make_upc(700 + n), 1) for n in range(30)])
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    expect(page.locator("tr.line")).to_have_count(30)
    # My Custom Programs waits below the cards, collapsed.
    panel = page.locator("details#custom-checkout")
    expect(panel).to_have_count(1)
    assert panel.get_attribute("open") is None
    for viewport in ({"width": 1024, "height": 768}, {"width": 768, "height": 1024}):
        page.set_viewport_size(viewport)
        page.evaluate("window.scrollTo(0, 0)")
        for control in (
            page.get_by_role("heading", name="Maya Lopez"),
            page.get_by_role("button", name="Incorrect Customer"),
            page.locator("#points-balance"),
            page.get_by_role("button", name="Checkout"),
            page.locator("#scan-code"),
        ):
            assert in_viewport(page, control), (viewport, control)
        page.mouse.wheel(0, 3000)
        page.wait_for_function("window.scrollY > 500")
        assert in_viewport(page, page.get_by_role("heading", name="Maya Lopez"))
        assert in_viewport(page, page.get_by_role("button", name="Checkout"))
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(page.url)
    assert page.evaluate("window.scrollY") == 0
    screenshot("18-checkout-30-lines", full_page=False)


def test_an_admin_enrolls_from_the_prompt_and_the_line_punches(
    page, screenshot, live_server, store, account, customer, admin_user, linked
):
    bag = factories.ItemFactory(gtin=factories.make_upc(960), description="Grain-free bag")
    program_card = factories.ProgramCardFactory(purchases_required=6, items=[bag])
    program_card.program.name = "Acana Club"
    program_card.program.save()
    distributor = factories.DistributorFactory(name="Phillips Pet")
    distributor.programs.add(program_card.program)
    sale = make_sale(account, customer, [(bag.gtin, 1)])
    press_button(page, live_server, store, sale, admin_user)
    page.wait_for_url(CHECKOUT_URL)
    dialog = page.get_by_role("dialog", name="Enroll in Acana Club?")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Distributor", exact=True).select_option(label="Phillips Pet")
    dialog.get_by_label("Your account number at that distributor").fill("PP-123")
    screenshot("19-enroll-dialog-admin")
    url = page.url
    dialog.get_by_role("button", name="Enroll and add").click()
    expect(page.get_by_role("status").get_by_text("Enrolled in Acana Club")).to_be_visible()
    expect(page.locator("tr.line-punched")).to_contain_text("Acana Club")
    assert page.url == url and Purchase.objects.filter(item=bag).count() == 1


def test_a_cashier_is_told_to_ask_an_admin_and_the_line_stays_unknown(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    bag = factories.ItemFactory(gtin=factories.make_upc(961), description="Grain-free bag")
    program_card = factories.ProgramCardFactory(purchases_required=6, items=[bag])
    program_card.program.name = "Acana Club"
    program_card.program.save()
    sale = make_sale(account, customer, [(bag.gtin, 1)])
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    dialog = page.get_by_role("dialog", name="Enroll in Acana Club?")
    expect(dialog.get_by_text("Ask an admin")).to_be_visible()
    screenshot("20-enroll-dialog-cashier")
    dialog.get_by_role("button", name="OK").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#scan-code")).to_be_focused()
    row = page.locator("tr.line-unknown")
    expect(row).to_contain_text("The store is not enrolled in Acana Club.")


def test_a_refund_shows_todays_returns_first(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    bought = make_sale(account, customer, [(FOOD, 2)], price="32.00")
    press_button(page, live_server, store, bought, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    refund = make_sale(account, customer, [(FOOD, -2)], price="32.00")
    press_button(page, live_server, store, refund, cashier_user, logged_in=True)
    returns = page.get_by_role("heading", name="Today's Returns")
    returns.wait_for()
    purchases = page.get_by_role("heading", name="Today's Purchases")
    assert returns.bounding_box()["y"] < purchases.bounding_box()["y"]
    page.get_by_role("button", name="Remove From Astro FBC").click()
    expect(page.get_by_text("Points taken back today")).to_be_visible()
    screenshot("21-refund-returns-first")
    assert Decimal(points_balance(linked)) >= 0


def test_the_contact_data_dialog_asks_for_the_email_a_program_needs(
    page, screenshot, live_server, store, account, customer, cashier_user, linked
):
    program_card = store.retailer.enrollments.get().program.cards.get()
    program_card.requires_email = True
    program_card.save()
    linked.email = ""
    linked.save()
    sale = make_sale(account, customer, [(FOOD, 3)])
    press_button(page, live_server, store, sale, cashier_user)
    page.wait_for_url(CHECKOUT_URL)
    page.get_by_role("button", name="Checkout").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason").select_option(label="Stocking up")
    dialog.get_by_role("button", name="Continue").click()
    dialog.get_by_text("Contact details needed").wait_for()
    screenshot("23-contact-data-dialog")
    dialog.get_by_label("Email").fill("maya@example.com")
    dialog.get_by_role("button", name="Continue").click()
    page.get_by_text("Reward ready!").wait_for()
    linked.refresh_from_db()
    assert linked.email == "maya@example.com"
