"""Buy 10 Get 1 self-wash in a real browser: an admin makes it in My Custom Programs, a cashier
rings up ten washes for Sally Pet Owner on the Lightspeed sandbox register and redeems the
eleventh on the Finish screen.

The cashier works the way a Lightspeed store does (SPEC §4): each wash is its own sale in the POS
with Sally on it, then the Astro Loyalty button. Sally's punches come from the sale's item number,
as for any customer; nothing is typed into Astro by hand.
"""

import re

import pytest

from loyalty.models import Card, DistributorReport, Program, Redemption
from loyalty.services.owners import link_pos_customer
from simulators.lightspeed.models import SandboxCustomer, SandboxItem, SandboxShop

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

CHECKOUT_URL = re.compile(r".*/visits/\d+/$")
FINISH_URL = re.compile(r".*/visits/\d+/finish/$")
REGISTER_URL = re.compile(r".*/sandbox/lightspeed/register/(\d+/)?(\?.*)?$")


@pytest.fixture
def store(live_server, location, account):
    """The store's register: one shop with the Astro Loyalty button, the two wash services."""
    location.pos_return_url = f"{live_server.url}/sandbox/lightspeed/register/"
    location.save()
    SandboxShop.objects.create(
        account=account,
        shop_id="1",
        name="Main Street",
        button_url=f"{live_server.url}/pos/lightspeed/{location.button_token}/",
    )
    SandboxItem.objects.create(
        account=account, custom_sku="SELFWASH-S", description="Self-wash small", price=15
    )
    SandboxItem.objects.create(
        account=account, custom_sku="SELFWASH-L", description="Self-wash large", price=20
    )
    return location


@pytest.fixture
def sally(store, account):
    """Sally Pet Owner as a POS customer, mapped to the store's Sally in Astro (seed 001)."""
    customer = SandboxCustomer.objects.create(
        account=account, first_name="Sally", last_name="Pet Owner", email="sally@example.com"
    )
    owner = store.retailer.pet_owners.get(is_test=True)
    link_pos_customer(
        owner=owner, pos_system="lightspeed", pos_customer_id=str(customer.pk), actor=None
    )
    return owner


def create_program(page, live_server, admin_user, screenshot):
    page.goto(f"{live_server.url}/custom-programs/")
    log_in(page, admin_user)
    page.get_by_role("heading", name="My Custom Programs").wait_for()
    page.get_by_role("link", name="New Buy X Get Y program").click()
    page.get_by_label("Program name").fill("Buy 10 Get 1 self-wash")
    page.get_by_label("Description").fill("Every eleventh wash is free.")
    x_field = page.get_by_label("Purchases needed for the reward (X)")
    x_field.fill("40")
    page.get_by_label("Qualifying item numbers or UPCs").fill(
        "SELFWASH-S, Self-wash small\nSELFWASH-L, Self-wash large"
    )
    page.get_by_label("Redeemable item numbers or UPCs").fill("SELFWASH-S")
    preview = page.locator("#card-preview")
    preview.get_by_text("from 2 to 30 purchases, not 40").wait_for()
    # Saving anyway: a clear message, nothing saved, everything typed still there.
    page.get_by_role("button", name="Save program").click()
    page.get_by_text("Nothing was saved yet").wait_for()
    screenshot("bxgy-00-new-program-error")
    assert not Program.objects.exists()
    assert page.get_by_label("Program name").input_value() == "Buy 10 Get 1 self-wash"
    assert (
        "SELFWASH-L, Self-wash large"
        in page.get_by_label("Qualifying item numbers or UPCs").input_value()
    )
    x_field.fill("10")
    # The live preview follows the typing: ten punch slots, the reward named.
    preview.get_by_text("0/10").wait_for()
    preview.get_by_text("Get 1 free: Self-wash small", exact=True).wait_for()
    assert preview.locator(".punch-slots li:not(.reward-slot)").count() == 10
    screenshot("bxgy-01-new-program-preview")
    page.get_by_role("button", name="Save program").click()
    page.get_by_text("Buy 10 Get 1 self-wash is saved").wait_for()
    assert page.get_by_role("cell", name="Buy 10, get 1 free · 2 qualifying items").is_visible()
    screenshot("bxgy-02-my-custom-programs")
    page.get_by_role("button", name=re.compile("^Log out")).click()


def ring_up_a_wash(page, live_server, cashier_user, *, first: bool) -> None:
    """At the register: new sale, Sally on it, scan the wash, press Astro Loyalty."""
    page.goto(f"{live_server.url}/sandbox/lightspeed/register/")
    page.get_by_role("button", name="New sale").click()
    page.get_by_label("Customer").select_option(label="Sally Pet Owner")
    page.get_by_role("button", name="Add customer to sale").click()
    page.locator("#scan-code").fill("SELFWASH-S")
    page.keyboard.press("Enter")
    page.get_by_text("Added: Self-wash small.").wait_for()
    page.get_by_role("link", name="Astro Loyalty").click()
    if first:
        log_in(page, cashier_user)
    page.wait_for_url(CHECKOUT_URL)


def test_an_admin_makes_buy_10_get_1_and_sally_earns_and_redeems_it(
    page, screenshot, live_server, store, sally, admin_user, cashier_user
):
    create_program(page, live_server, admin_user, screenshot)
    for wash in range(1, 11):
        ring_up_a_wash(page, live_server, cashier_user, first=wash == 1)
        assert page.locator("tr.line-punched").count() == 1
        assert page.locator(".card .progress").first.inner_text() == f"{wash}/10"
        if wash == 1:
            screenshot("bxgy-03-checkout-first-wash")
        page.get_by_role("button", name="Checkout").click()
        if wash < 10:
            page.wait_for_url(FINISH_URL)
            page.get_by_role("button", name="Finished").click()
            page.wait_for_url(REGISTER_URL)

    page.get_by_text("Reward ready!").wait_for()
    page.get_by_role("button", name="Go to Redemption").click()
    page.wait_for_url(FINISH_URL)
    page.get_by_label("Self-wash small").check()
    page.get_by_role("button", name="Redeem Selected Items").click()
    reward = page.locator("#rewards li")
    reward.wait_for()
    redemption = Redemption.objects.get(card__owner=sally)
    assert redemption.reward_id in reward.inner_text()
    assert "Buy 10 Get 1 self-wash" in reward.inner_text()
    screenshot("bxgy-04-finish-reward-redeemed")
    page.get_by_role("button", name="Finished").click()
    page.wait_for_url(REGISTER_URL)

    program = Program.objects.get(name="Buy 10 Get 1 self-wash")
    assert Card.objects.get(owner=sally, program_card__program=program).status == "redeemed"
    assert redemption.item.item_number == "SELFWASH-S"
    # SPEC §2: a custom program's reward is the store's own; nothing goes to a distributor.
    assert not DistributorReport.objects.exists()
