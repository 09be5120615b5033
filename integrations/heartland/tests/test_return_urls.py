"""Where Finished may send a cashier: the store's own Heartland site, or an admin's Return to POS
URL under Heartland's hosts; never an address a crafted link slipped in."""

import pytest

from integrations.heartland.return_urls import (
    is_store_pos_url,
    return_url_for,
    return_url_problem,
)

from .conftest import STORE_SITE

pytestmark = pytest.mark.django_db

SANDBOX_SITE = "http://127.0.0.1:8161/sandbox/heartland"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        (f"{STORE_SITE}/pos/tickets/5", True),
        (f"{STORE_SITE}:443/pos", False),  # another port than the site's own
        ("https://PAWSOME.retail.heartland.us/pos", True),
        ("https://rival.retail.heartland.us/pos", False),
        ("https://pawsome.retail.heartland.us.evil.example/pos", False),
        ("https://pawsome.retail.heartland.us@evil.example/", False),
        ("https://evil.example\\@pawsome.retail.heartland.us/", False),
        ("https://pawsome.retail.heartland.us/ pos", False),
        ("http://pawsome.retail.heartland.us/pos", False),
        ("//pawsome.retail.heartland.us/pos", False),
        ("https://%70awsome.retail.heartland.us/", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_only_the_stores_own_site_is_a_pos_url(url, allowed):
    assert is_store_pos_url(url, store_base=STORE_SITE) is allowed


def test_plain_http_is_only_for_the_loopback_sandbox(settings):
    url = f"{SANDBOX_SITE}/pos/tickets/5/"
    assert is_store_pos_url(url, store_base=SANDBOX_SITE)
    settings.POS_SANDBOX_ENABLED = False
    assert not is_store_pos_url(url, store_base=SANDBOX_SITE)


def test_an_admins_return_url_may_be_any_heartland_host(connected, retailer):
    assert return_url_problem(f"{STORE_SITE}/pos", retailer=retailer) == ""
    assert return_url_problem("https://other.retail.heartland.us/pos", retailer=retailer) == ""
    problem = return_url_problem("https://evil.example/pos", retailer=retailer)
    assert "https://yourstore.retail.heartland.us/pos" in problem


def test_return_url_prefers_the_pos_url_then_the_locations_then_the_register(connected, location):
    pos_url = f"{STORE_SITE}/pos/tickets/5"
    assert return_url_for(location, pos_url) == pos_url
    assert return_url_for(location, "https://evil.example/") == f"{STORE_SITE}/pos/"
    location.pos_return_url = "https://pawsome.retail.heartland.us/pos/home"
    assert return_url_for(location, "") == "https://pawsome.retail.heartland.us/pos/home"
    location.pos_return_url = "https://evil.example/"  # stored before the rules changed
    assert return_url_for(location, "") == f"{STORE_SITE}/pos/"


def test_a_store_not_connected_has_no_way_back_but_its_own_setting(location):
    assert return_url_for(location, f"{STORE_SITE}/pos") == ""
    location.pos_return_url = f"{STORE_SITE}/pos"
    assert return_url_for(location, "") == f"{STORE_SITE}/pos"
