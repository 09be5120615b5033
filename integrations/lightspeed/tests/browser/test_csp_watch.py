"""The browser tests' CSP check itself: an inline script under our policy is caught."""

import pytest

from .conftest import FLAGS, CspWatch, chromium_path


def test_the_watch_reports_an_inline_script_the_policy_blocked(live_server):
    path = chromium_path()
    if path is None:
        pytest.skip("chromium is not installed: `apt-get install chromium` (CI installs it)")
    from playwright.sync_api import sync_playwright

    policy = live_server_policy()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=FLAGS)
        page = browser.new_page()
        watch = CspWatch(page)
        page.route(
            f"{live_server.url}/probe/",
            lambda route: route.fulfill(
                body="<p>probe</p><script>document.title = 'ran'</script>",
                headers={"Content-Type": "text/html", "Content-Security-Policy": policy},
            ),
        )
        page.goto(f"{live_server.url}/probe/")
        page.wait_for_timeout(200)
        title = page.title()
        browser.close()
    assert title != "ran"
    assert any("script-src" in text for text in watch.violations), watch.violations


def live_server_policy() -> str:
    """The policy the site sends (astro_site/settings CONTENT_SECURITY_POLICY)."""
    from django.test import Client

    return Client().get("/login/")["Content-Security-Policy"]
