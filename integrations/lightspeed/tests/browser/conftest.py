"""Playwright with Debian's chromium, headless, against the live server at 1024×768."""

import os
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots"
# axe-core, vendored from the npm registry (loyalty/tests/browser/axe/, MPL-2.0): injected from
# this file, never fetched from a CDN.
AXE = Path(__file__).resolve().parents[4] / "loyalty" / "tests" / "browser" / "axe" / "axe.min.js"
# Impacts that fail a test; "moderate" and "minor" are reported in the failure text only.
AXE_FAILING = ("serious", "critical")
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
        # bypass_csp: the axe script is injected into the page, whatever policy the page sets.
        context = browser.new_context(viewport={"width": 1024, "height": 768}, bypass_csp=True)
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


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now (an open dialog included): its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const found = await axe.run(document, {resultTypes: ["violations"]});
            return found.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }"""
    )
    return result


def assert_accessible(page, name: str) -> None:
    """No serious or critical axe-core violation on this screen or dialog."""
    violations = axe_violations(page)
    failing = [v for v in violations if v["impact"] in AXE_FAILING]
    assert not failing, f"{name}: axe-core found " + "; ".join(
        f"[{v['impact']}] {v['id']} ({v['help']}): {v['nodes']}" for v in failing
    )


@pytest.fixture
def screenshot(page):
    """screenshot("name"): the whole page at 1024 wide, kept under test-artifacts/, after axe-core
    finds no serious or critical accessibility violation on it (axe=False for the sandboxes,
    which stand in for other companies' screens)."""

    def take(name: str, *, axe: bool = True, full_page: bool = True) -> None:
        if axe:
            assert_accessible(page, name)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return take


def log_in(page, user) -> None:
    """Fill Astro's login form (the page the button lands on when logged out)."""
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
