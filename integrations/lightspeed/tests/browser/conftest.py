"""Playwright with Debian's chromium, headless, against the live server at 1024×768."""

import os
import shutil
from pathlib import Path

import pytest

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


# Every violation of the Content-Security-Policy is logged to the console as an error, with
# what was blocked, so a test fails on an inline script or style that slipped into a template.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " blocked "
    + (event.blockedURI || "inline code") + " at " + event.sourceFile + ":" + event.lineNumber
    + (event.target && event.target.outerHTML
      ? " on " + event.target.outerHTML.slice(0, 160) : ""));
});
"""


class CspWatch:
    """The console's CSP errors of one page (Chromium's own "Refused to ..." and ours)."""

    def __init__(self, page) -> None:
        self.violations: list[str] = []
        page.context.add_init_script(CSP_REPORTER)
        page.on("console", self._seen)

    def _seen(self, message) -> None:
        text = message.text
        if message.type == "error" and (
            "Content Security Policy" in text or text.startswith("CSP violation")
        ):
            self.violations.append(text)


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
        watch = CspWatch(page)
        yield page
        violations = list(watch.violations)
        context.close()
        browser.close()
        assert not violations, "The page broke its Content-Security-Policy:\n" + "\n".join(
            violations
        )


@pytest.fixture
def screenshot(page):
    """screenshot("name"): the whole page at 1024 wide, kept under test-artifacts/."""

    def take(name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


def log_in(page, user) -> None:
    """Fill Astro's login form (the page the button lands on when logged out)."""
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
