"""seed_demo's Lightspeed X-Series store: its own retailer and logins, a sandbox store set up
for the payment page, Astro connected to it, and the "lightspeed_x_sandbox" key of --json."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from integrations.lightspeed_x.models import XSeriesConnection
from loyalty.models import Card, Location, PosLink, Retailer, User
from simulators.lightspeed_x.models import SandboxCustomer, SandboxProduct, SandboxStore


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_x_series_store_is_seeded_once_with_logins_that_work():
    data = json.loads(seed("--json"))
    counts = [model.objects.count() for model in (User, PosLink, SandboxProduct, SandboxCustomer)]
    again = json.loads(seed("--json"))
    assert [
        model.objects.count() for model in (User, PosLink, SandboxProduct, SandboxCustomer)
    ] == counts
    assert {
        "base_url",
        "logins",
        "retailers",
        "locations",
        "owners",
        "lightspeed_sandbox",
        "api",
    } < set(again)

    xseries = again["lightspeed_x_sandbox"]
    assert xseries == data["lightspeed_x_sandbox"]  # the same token and addresses every run
    assert xseries["register_url"] == (
        "http://127.0.0.1:8000/sandbox/lightspeed-x/northside-pets/register/"
    )
    assert xseries["api_base"] == "http://127.0.0.1:8000/sandbox/lightspeed-x/northside-pets"
    retailer = Retailer.objects.get(name=xseries["retailer"])
    assert retailer.pos_integration == "lightspeed_x"
    for login in xseries["logins"].values():
        user = authenticate(RequestFactory().get("/"), **login)
        assert user is not None and user.retailer == retailer

    store = SandboxStore.objects.get(domain_prefix=xseries["domain_prefix"])
    location = Location.objects.get(retailer=retailer)
    assert store.gateway_url.endswith(f"/pos/lightspeed-x/{location.button_token}/pay/")
    connection = XSeriesConnection.objects.get(retailer=retailer)
    assert store.webhook_url.endswith(f"/pos/lightspeed-x/webhooks/{connection.webhook_key}/")
    assert location.pos_shop_id == str(store.outlets.get().outlet_id)
    # A linked customer with a complete card, so Finish has something to redeem at once.
    assert Card.objects.filter(owner__retailer=retailer, status="complete").count() == 1
    text = seed()
    assert xseries["register_url"] in text and "xseries-cashier" in text


@pytest.mark.django_db(transaction=True)
def test_the_printed_token_reads_the_sandbox_api_over_http(live_server):
    data = json.loads(seed("--json", "--base-url", live_server.url))["lightspeed_x_sandbox"]
    headers = {"Authorization": f"Bearer {data['access_token']}"}
    outlets = httpx.get(f"{data['api_base']}/api/2026-04/outlets", headers=headers)
    assert outlets.status_code == 200 and outlets.json()["data"][0]["name"] == "Northside"
    assert httpx.get(data["register_url"]).status_code == 200
