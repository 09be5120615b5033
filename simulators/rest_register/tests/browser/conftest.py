"""The register in a real browser: the same Playwright set-up as the Lightspeed cashier flow
(Debian's chromium, headless, 1024×768), the register calling Astro over real HTTP."""

from pathlib import Path

import pytest

from integrations.lightspeed.tests.browser.conftest import page, screenshot

__all__ = ["page", "screenshot"]


def pytest_collection_modifyitems(items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)
