"""Playwright with Debian's chromium, headless, at 1024×768, against the live server that serves
Astro and the Heartland sandbox; a store connected to the sandbox with its UI extension set."""

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from integrations.heartland.models import HeartlandConnection
from loyalty.tests import factories
from simulators.heartland.tests.factories import API_PREFIX, FOOD_UPC, make_account, make_item

SCREENSHOTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots"
# Without the networking flags chromium keeps trying to reach the internet.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "pw-for-tests"
TOY_UPC = "012345678905"  # a valid UPC in no program


def chromium_path() -> str | None:
    """CHROMIUM_PATH if set (a missing file skips too), else the system's chromium."""
    given = os.environ.get("CHROMIUM_PATH")
    if given:
        return given if Path(given).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(monkeypatch, live_server):
    path = chromium_path()
    if path is None:
        pytest.skip("chromium is not installed: `apt-get install chromium` (CI installs it)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django may allow them (recipe for live_server + Playwright).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=FLAGS)
        context = browser.new_context(viewport={"width": 1024, "height": 768})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def screenshot(page):
    """screenshot("name"): the whole page at 1024 wide, kept under test-artifacts/."""

    def take(name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"heartland-{name}.png"), full_page=True)

    return take


@pytest.fixture
def account(live_server, retailer, location):
    """The store's sandbox account, its UI extension set to Astro's, and Astro connected."""
    account = make_account(
        extension_url=live_server.url + reverse("heartland_extension", args=[location.button_token])
    )
    make_item(account, "Kibble 25 lb", "54.99", FOOD_UPC, "KIB-25")
    make_item(account, "Rope Chew Toy", "9.49", TOY_UPC, "TOY-ROPE")
    retailer.pos_integration = "heartland"
    retailer.save()
    HeartlandConnection.objects.create(
        retailer=retailer,
        subdomain=account.subdomain,
        api_base=f"{live_server.url}{API_PREFIX}",
        token=account.api_token,
        token_hint=account.api_token[-4:],
    )
    location.pos_shop_id = str(account.locations.get().pk)
    location.save()
    return account


@pytest.fixture
def program(location):
    """A Buy 3 card on the kibble, which the store is enrolled in."""
    food = factories.ItemFactory(gtin=FOOD_UPC, description="Kibble 25 lb")
    return factories.enrolled_card(location.retailer, required=3, items=[food])


def log_in(page, user) -> None:
    """Fill Astro's login form (the page the button lands on when logged out)."""
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
