"""A full integration in a real browser: the register page never opens Astro; it calls Astro's
REST API over real HTTP (the live server) the way Pinogy and Celerant do (seeds 000, 003)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from loyalty.models import Coupon, OfferRedemption, PosLink, Purchase, Redemption, Visit
from loyalty.services.coupons import issue_coupon
from simulators.rest_register.models import Sale

from ..conftest import POULTRY, RED, TREAT

pytestmark = pytest.mark.django_db(transaction=True)

SALE_URL = re.compile(r".*/sandbox/rest-register/sales/\d+/(#.*)?$")
RECEIPT_URL = re.compile(r".*/sandbox/rest-register/sales/\d+/receipt/$")


def open_register(page, live_server):
    page.goto(f"{live_server.url}/sandbox/rest-register/")
    page.get_by_role("heading", name="Sales").wait_for()


def new_sale_for(page, name):
    page.get_by_role("button", name="New sale").click()
    page.wait_for_url(SALE_URL)
    page.get_by_label("Customer", exact=True).select_option(label=name)
    page.get_by_role("button", name="Add customer to sale").click()
    page.get_by_text(f"{name} is on the sale.").wait_for()


def scan(page, code):
    page.locator("#scan-code").fill(code)
    page.locator("#scan-code").press("Enter")
    page.get_by_text("Added ").wait_for()


def card_progress(page) -> str:
    return page.locator("#astro-cards .rr-progress").first.inner_text()


def test_a_customer_is_mapped_and_a_sale_gets_its_offer_with_the_coupon_declined(
    page, screenshot, live_server, register, astro
):
    issue_coupon(owner=astro.morgan, name="$5 welcome coupon", amount_off=Decimal("5.00"))
    open_register(page, live_server)
    screenshot("rest-register-01-sales")
    new_sale_for(page, "Morgan Lee")
    dialog = page.get_by_role("dialog", name="Morgan Lee is not linked to Astro")
    expect(dialog).to_be_visible()
    screenshot("rest-register-02-not-linked")
    dialog.get_by_role("link", name="Already In Astro").click()
    page.get_by_role("heading", name="Already In Astro: Morgan Lee").wait_for()
    screenshot("rest-register-03-already-in-astro")
    page.get_by_role("button", name="Confirm match").click()
    page.get_by_text("Morgan Lee is mapped to their Astro account.").wait_for()
    assert PosLink.objects.get(owner=astro.morgan).pos_customer_id == "POS-1002"
    assert card_progress(page) == "5/12"

    scan(page, RED)
    scan(page, TREAT)
    page.get_by_label("Quantity of Fromm Crunchy O's 6 oz").fill("2")
    page.locator("#lines tr", has_text="Fromm").get_by_role("button", name="Set").click()
    offer = page.locator("tr.rr-discount[data-kind=offer]")
    expect(offer).to_contain_text("Fromm Buy One Get One Free")
    expect(offer).to_contain_text("-$7.99")
    # Pinogy: the card does not change while the sale is open.
    assert card_progress(page) == "5/12"
    screenshot("rest-register-04-offer-applied-5-of-12")

    page.locator("#pay-button").click()
    prompt = page.locator("form.rr-ask", has_text="$5 welcome coupon")
    expect(prompt).to_be_visible()
    screenshot("rest-register-05-coupon-prompt")
    prompt.get_by_role("button", name="Not this time").click()
    page.get_by_text("Not applied: $5 welcome coupon.").wait_for()
    assert not Visit.objects.exists()  # nothing reaches Astro before payment
    page.locator("#pay-button").click()
    page.wait_for_url(RECEIPT_URL)
    recorded = OfferRedemption.objects.get(owner=astro.morgan)
    receipt = page.locator("#receipt")
    expect(receipt).to_contain_text(f"Astro reward ID: {recorded.reward_id}")
    expect(receipt).not_to_contain_text("welcome coupon")
    expect(receipt).to_contain_text("Acana")
    screenshot("rest-register-06-receipt")
    assert Coupon.objects.get(owner=astro.morgan).redeemed_at is None  # declined: kept

    page.get_by_role("link", name="Back to the sale").click()
    assert card_progress(page) == "6/12"
    screenshot("rest-register-07-paid-6-of-12")


def test_a_redemption_is_limited_to_stock_and_prints_its_reward_id_with_the_full_tax(
    page, screenshot, live_server, register, astro
):
    open_register(page, live_server)
    new_sale_for(page, "Sally Pet Owner")
    ready = page.locator("#ready-to-redeem")
    expect(ready).to_contain_text("12/12")
    ready.get_by_role("link", name="Redeem").click()
    items = page.locator("#redeemable-items")
    expect(items).to_contain_text("Acana Red 13 lb")
    expect(items).to_contain_text("Acana Poultry 13 lb")
    expect(items).not_to_contain_text("Acana Fish 13 lb")  # none in stock here
    screenshot("rest-register-08-redeemable-in-stock")
    page.get_by_role("button", name="Give this item: Acana Poultry 13 lb").click()
    page.get_by_text("is on the sale as the reward").wait_for()
    expect(page.locator("#totals")).to_contain_text("$5.36")  # 8.25% of 64.99, in full
    expect(page.locator("#total")).to_have_text("$5.36")
    screenshot("rest-register-09-reward-on-sale")
    page.locator("#pay-button").click()
    page.wait_for_url(RECEIPT_URL)
    redemption = Redemption.objects.get()
    assert redemption.item == astro.bags[POULTRY]
    expect(page.locator("#receipt")).to_contain_text(f"Astro reward ID: {redemption.reward_id}")
    expect(page.locator("#receipt-totals")).to_contain_text("Tax 8.25% on the full price")
    screenshot("rest-register-10-redemption-receipt")
    assert register.products.get(upc=POULTRY).stock == 2


def test_five_sales_while_astro_is_unreachable_arrive_later_in_order_once_with_their_own_times(
    page, screenshot, live_server, register, astro
):
    open_register(page, live_server)
    page.get_by_role("button", name="Make Astro unreachable").click()
    expect(page.locator("#astro-status")).to_have_text("Astro unreachable")
    for number in range(5):
        page.get_by_role("link", name="Sales").click()
        new_sale_for(page, "Jamie Rivera")
        scan(page, RED)
        if number == 0:
            expect(page.locator("#astro-tab")).to_contain_text("Astro cannot be reached")
            expect(page.locator("#offers-note")).to_be_visible()
            screenshot("rest-register-11-offline-sale")
        page.locator("#pay-button").click()
        page.wait_for_url(RECEIPT_URL)
        expect(page.locator("#astro-delivery")).to_contain_text("queued")
    screenshot("rest-register-12-offline-receipt")
    assert not Visit.objects.exists()
    page.get_by_role("link", name=re.compile("Astro queue")).click()
    expect(page.locator("#queue-waiting")).to_contain_text("5 waiting")
    screenshot("rest-register-13-queue-waiting")

    page.get_by_role("button", name="Make Astro reachable").click()
    page.get_by_role("button", name="Send queued now").click()
    page.get_by_text("5 sent to Astro.").wait_for()
    screenshot("rest-register-14-queue-sent")
    sales = list(Sale.objects.order_by("paid_at"))
    visits = list(Visit.objects.order_by("pk"))
    assert [v.pos_sale_id for v in visits] == [s.pos_sale_id for s in sales]  # in order
    assert [v.created_at for v in visits] == [s.paid_at for s in sales]  # their own times
    page.get_by_role("button", name="Send queued now").click()
    page.get_by_text("0 sent to Astro.").wait_for()
    assert Visit.objects.count() == 5  # each once
    assert Purchase.objects.filter(card__owner=astro.jamie, state="active").count() == 10
