"""Pre-Paid Membership and Cash Back in a real browser: an admin creates the program on the My
Custom Programs screen, then a cashier uses it at checkout (SPEC §2)."""

import re
from decimal import Decimal

import pytest

from loyalty.models import CashBackEntry, PrepaidPackage, Program
from loyalty.services.sales import start_visit
from loyalty.tests import factories

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAMS_URL = re.compile(r".*/custom-programs/$")


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer, first_name="Maya", last_name="Lopez")


def create_program(page, live_server, admin, kind: str, fields: dict[str, str]) -> None:
    """Fill the New program form as an admin and save it."""
    page.goto(f"{live_server.url}/custom-programs/new/{kind}/")
    log_in(page, admin)
    for name, value in fields.items():
        field = page.locator(f"[name={name}]")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Save program").click()
    page.wait_for_url(PROGRAMS_URL)


def open_checkout_as_cashier(page, live_server, visit, cashier) -> None:
    page.get_by_role("button", name=re.compile("Log out")).click()
    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    log_in(page, cashier)
    page.get_by_role("heading", name="My Custom Programs").wait_for()
    # A collapsed panel below the cards: the cashier opens it when a program is used.
    page.locator("#custom-checkout > summary").click()


def test_cash_back_is_added_at_checkout_and_redeemed(
    page, screenshot, live_server, retailer, location, admin_user, cashier_user, owner
):
    create_program(
        page,
        live_server,
        admin_user,
        "cash-back",
        {
            "name": "Bakery Cash Back",
            "description": "10% back on treats from our bakery.",
            "percent": "10",
            "basis": "subtotal",
            "purchases_required": "2",
        },
    )
    visit = start_visit(
        retailer=retailer,
        owner=owner,
        location=location,
        cashier=cashier_user,
        subtotal=Decimal("54.99"),
        total=Decimal("59.39"),
    )
    open_checkout_as_cashier(page, live_server, visit, cashier_user)
    amount = page.get_by_label("Qualifying purchase ($)")
    # Not the whole sale: the cashier types what qualifies, told what the sale came to.
    assert amount.input_value() == ""
    assert page.get_by_text("the whole sale was $54.99").is_visible()
    amount.fill("54.99")
    page.get_by_role("button", name="Add to cash back").click()
    page.get_by_text("Added a $54.99 purchase: $5.50 cash back.").wait_for()
    assert page.get_by_text("1 more purchase to redeem").is_visible()

    amount.fill("20")
    page.get_by_role("button", name="Add to cash back").click()
    redeem = page.get_by_role("button", name="Redeem $7.50")
    redeem.wait_for()
    screenshot("custom-01-cash-back-ready")
    redeem.click()
    page.get_by_text("Redeemed $7.50 cash back.").wait_for()
    assert (
        page.locator("#custom-checkout .discount")
        .inner_text()
        .startswith("Apply a $7.50 discount in the POS")
    )
    assert page.locator("#custom-checkout .accrued").inner_text() == "$0.00"
    screenshot("custom-02-cash-back-redeemed")

    program = Program.objects.get(name="Bakery Cash Back")
    amounts = CashBackEntry.objects.filter(owner=owner, plan__program=program)
    assert sorted(amounts.values_list("amount", flat=True)) == [
        Decimal("-7.50"),
        Decimal("2.00"),
        Decimal("5.50"),
    ]


def test_a_prepaid_package_is_sold_and_a_visit_drawn_down(
    page, screenshot, live_server, retailer, location, admin_user, cashier_user, owner
):
    create_program(
        page,
        live_server,
        admin_user,
        "prepaid",
        {
            "name": "Doggie Day Care",
            "description": "Pre-pay 6 days of day care, get a 7th free.",
            "visits": "6",
            "bonus_visits": "1",
            "price": "180.00",
            "visit_description": "One day of doggie day care",
        },
    )
    visit = start_visit(retailer=retailer, owner=owner, location=location, cashier=cashier_user)
    open_checkout_as_cashier(page, live_server, visit, cashier_user)
    assert page.get_by_text("Maya has no pre-paid visits left.").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())  # "Sell ...? Ring up $180.00 in the POS."
    page.get_by_role("button", name="Sell package").click()
    page.get_by_text("Ring up $180.00 for it in the POS.").wait_for()
    visits_left = page.locator("#prepaid-packages .visits-left")
    assert visits_left.inner_text() == "7"

    page.get_by_role("button", name="Use one visit").click()
    page.get_by_text("One Doggie Day Care visit used: 6 left.").wait_for()
    assert visits_left.inner_text() == "6"
    screenshot("custom-03-prepaid-at-checkout")
    package = PrepaidPackage.objects.get(owner=owner)
    assert (package.visits_total, package.visits_used) == (7, 1)

    page.goto(f"{live_server.url}/owners/{owner.pk}/")
    page.get_by_role("heading", name="Pre-Paid Visits and Cash Back").wait_for()
    assert page.locator("#prepaid-balances .visits-left").inner_text() == "6"
    screenshot("custom-04-prepaid-on-owner-page")
