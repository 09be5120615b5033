"""The retailer screens in a real browser: the same Playwright set-up as the cashier flow's
(Debian's chromium, headless, 1024×768), and the Lightspeed sandbox account fixtures."""

from pathlib import Path

import pytest

from integrations.lightspeed.tests.browser.conftest import log_in, page, screenshot
from integrations.lightspeed.tests.conftest import account, customer

__all__ = ["account", "customer", "log_in", "page", "screenshot"]


def pytest_collection_modifyitems(items):
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)
