"""Return to POS URLs: only Lightspeed's hosts, no open-redirect tricks, saleID appended."""

from __future__ import annotations

import pytest
from django.test import override_settings

from integrations.lightspeed.models import LightspeedConnection
from integrations.lightspeed.return_urls import (
    DEFAULT_RETURN_URL,
    allowed_hosts_for,
    is_allowed_return_url,
    return_url_for,
)


@pytest.mark.parametrize(
    "url",
    [
        "https://lightspeedapp.com/",
        "https://us.lightspeedapp.com/register",
        "https://us.merchantos.com/?name=register",
        "HTTPS://US.MerchantOS.com/?name=register",
        "https://us.merchantos.com:443/?name=register",
        "https://eu.shop.lightspeedapp.com./x",
    ],
)
def test_lightspeed_hosts_and_their_subdomains_are_allowed(url):
    assert is_allowed_return_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://evil.com/",
        # userinfo: the real host is after the @
        "https://lightspeedapp.com@evil.com/",
        "https://us.lightspeedapp.com:443@evil.com/",
        "https://lightspeedapp.com%40evil.com@evil.com/",
        # look-alike suffixes and prefixes
        "https://evil-lightspeedapp.com/",
        "https://evillightspeedapp.com/",
        "https://lightspeedapp.com.evil.com/",
        "https://merchantos.com.evil.com/?name=register",
        # scheme-relative, missing or other schemes
        "//evil.com",
        "//lightspeedapp.com",
        "/register",
        "us.merchantos.com/?name=register",
        "http://us.merchantos.com/?name=register",
        "javascript:alert(1)//lightspeedapp.com",
        "ftp://us.lightspeedapp.com/",
        "https:evil.com",
        "https:/evil.com",
        "https:///evil.com",
        # backslashes and whitespace browsers read differently from Python
        "https://evil.com\\.lightspeedapp.com/",
        "https:\\\\evil.com",
        "/\\evil.com",
        "https://lightspeedapp.com\\@evil.com",
        " https://evil.com",
        "https://lightspeedapp.com\t.evil.com/",
        "https://lightspeedapp.com\n@evil.com/",
        # escapes and non-ASCII in the host
        "https://evil.com%2elightspeedapp.com/",
        "https://lightspeedapp.com\u3002evil.com/",
        "https://lightspeedаpp.com/",  # Cyrillic "а"
        # fragment and query never change the host
        "https://evil.com#@lightspeedapp.com",
        "https://evil.com/?u=https://lightspeedapp.com",
        "https://us.lightspeedapp.com:99999/",
        "https://us.lightspeedapp.com:port/",
        "http://localhost:8000/",  # loopback, but not an allowed host
    ],
)
def test_attack_strings_are_refused(url):
    assert not is_allowed_return_url(url)


def test_extra_hosts_extend_the_settings_hosts():
    assert is_allowed_return_url("https://pos.example.net/x", extra_hosts=["example.net"])
    assert not is_allowed_return_url("https://example.net.evil.com/", extra_hosts=["example.net"])


@override_settings(POS_SANDBOX_ENABLED=True)
def test_plain_http_only_for_a_loopback_host_while_the_sandbox_is_on():
    hosts = ["localhost", "127.0.0.1", "evil.com"]
    assert is_allowed_return_url("http://localhost:8000/sandbox/", extra_hosts=hosts)
    assert is_allowed_return_url("http://127.0.0.1:8000/sandbox/", extra_hosts=hosts)
    assert not is_allowed_return_url("http://evil.com/", extra_hosts=hosts)
    with override_settings(POS_SANDBOX_ENABLED=False):
        assert not is_allowed_return_url("http://localhost:8000/sandbox/", extra_hosts=hosts)


@override_settings(LIGHTSPEED_RETURN_HOSTS=["Lightspeedapp.com", ".merchantos.com"])
def test_settings_hosts_are_normalised():
    assert is_allowed_return_url("https://us.lightspeedapp.com/")
    assert is_allowed_return_url("https://us.merchantos.com/")


def _connect(retailer, api_base):
    return LightspeedConnection.objects.create(
        retailer=retailer,
        account_id="150001",
        api_base=api_base,
        auth_base=api_base,
        access_token="a",
        refresh_token="r",
    )


def test_allowed_hosts_add_the_connected_sandbox_host_only_while_the_sandbox_is_on(retailer):
    _connect(retailer, "http://127.0.0.1:8000/sandbox/lightspeed")
    with override_settings(POS_SANDBOX_ENABLED=True):
        assert allowed_hosts_for(retailer) == ["lightspeedapp.com", "merchantos.com", "127.0.0.1"]
    with override_settings(POS_SANDBOX_ENABLED=False):
        assert allowed_hosts_for(retailer) == ["lightspeedapp.com", "merchantos.com"]


def test_return_url_keeps_the_query_and_appends_the_sale(location):
    location.pos_return_url = "https://us.merchantos.com/?name=register&form_name=view"
    assert (
        return_url_for(location, "1234")
        == "https://us.merchantos.com/?name=register&form_name=view&saleID=1234"
    )


def test_return_url_replaces_a_stored_sale_id_and_escapes_the_new_one(location):
    location.pos_return_url = "https://us.merchantos.com/register?saleID=1"
    assert return_url_for(location, "2&x=y") == (
        "https://us.merchantos.com/register?saleID=2%26x%3Dy"
    )


def test_blank_return_url_is_the_register_default(location):
    location.pos_return_url = ""
    assert return_url_for(location, "77") == f"{DEFAULT_RETURN_URL}&saleID=77"
    assert return_url_for(location, "") == DEFAULT_RETURN_URL


def test_a_stored_url_on_a_bad_host_falls_back_to_the_default(location):
    # Saved before the hosts setting changed, or written around the form.
    location.pos_return_url = "https://lightspeedapp.com@evil.com/"
    assert return_url_for(location, "5") == f"{DEFAULT_RETURN_URL}&saleID=5"


@override_settings(POS_SANDBOX_ENABLED=True)
def test_the_sandbox_register_is_a_valid_return_url_for_a_sandbox_connection(location):
    _connect(location.retailer, "http://localhost:8000/sandbox/lightspeed")
    location.pos_return_url = "http://localhost:8000/sandbox/lightspeed/register/"
    assert return_url_for(location, "9") == (
        "http://localhost:8000/sandbox/lightspeed/register/?saleID=9"
    )
