"""The Lightspeed sandbox over real HTTP: R-Series JSON shapes, OAuth rotation, rate limit."""

from __future__ import annotations

import importlib
import json
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from django.test import override_settings
from django.urls import clear_url_caches
from django.utils import timezone

from integrations.lightspeed.adapter import sale_from_json
from simulators.lightspeed.models import SandboxSale, SandboxToken

from .factories import (
    SANDBOX_PREFIX,
    make_account,
    make_customer,
    make_item,
    make_sale,
    make_token,
)

pytestmark = pytest.mark.usefixtures("transactional_db")
ALL_RELATIONS = json.dumps(["SaleLines", "SaleLines.Item", "Customer", "Customer.Contact"])


@pytest.fixture
def base(live_server) -> str:
    return f"{live_server.url}{SANDBOX_PREFIX}"


@pytest.fixture
def account():
    return make_account()


@pytest.fixture
def api(base, account):
    """An httpx client on the account's API with a live access token."""
    token = make_token(account)
    headers = {"Authorization": f"Bearer {token.access_token}"}
    url = f"{base}/API/V3/Account/{account.account_id}"
    with httpx.Client(base_url=url, headers=headers, timeout=5) as client:
        yield client


def test_sale_with_all_relations_has_string_scalars_and_round_trips(api, account):
    """Every scalar is a string; two lines are a list; the adapter reads the sale back."""
    customer = make_customer(account, phone="555-0100")
    food = make_item(account, "Happy Cat Beef 12lb", "24.99", upc="012345678905")
    sale = make_sale(
        account, [(food, 2, "24.99", None), (None, 1, "14.99", None)], customer=customer
    )

    response = api.get(f"/Sale/{sale.pk}.json", params={"load_relations": ALL_RELATIONS})

    assert response.status_code == 200
    body = response.json()["Sale"]
    assert body["calcSubtotal"] == "64.97"
    assert body["calcTax1"] == "5.1976"
    assert body["customerID"] == str(customer.pk)
    lines = body["SaleLines"]["SaleLine"]
    assert isinstance(lines, list)
    assert lines[0]["unitQuantity"] == "2" and lines[0]["Item"]["upc"] == "012345678905"
    assert lines[1]["itemID"] == "0" and "Item" not in lines[1]
    assert body["Customer"]["Contact"]["Emails"]["ContactEmail"]["address"] == "sally@example.com"
    pos_sale = sale_from_json(response.json(), account_id=account.account_id)
    assert [line.quantity for line in pos_sale.lines] == [2, 1]
    assert pos_sale.lines[1].is_misc
    assert pos_sale.subtotal == Decimal("64.97")
    assert pos_sale.customer.phone == "555-0100"


def test_one_line_sale_is_an_object_and_empty_contact_relations_are_blank(api, account):
    customer = make_customer(account, email="")
    item = make_item(account, "Chew toy", "5.00")
    sale = make_sale(account, [(item, 1, "5.00", None)], customer=customer)

    body = api.get(f"/Sale/{sale.pk}.json", params={"load_relations": ALL_RELATIONS}).json()

    assert isinstance(body["Sale"]["SaleLines"]["SaleLine"], dict)
    assert body["Sale"]["Customer"]["Contact"]["Emails"] == ""
    assert body["Sale"]["SaleLines"]["SaleLine"]["unitPrice"] == "5.00"


def test_load_relations_are_honoured(api, account):
    item = make_item(account, "Chew toy", "5.00")
    sale = make_sale(account, [(item, 1, "5.00", None)], customer=make_customer(account))

    bare = api.get(f"/Sale/{sale.pk}.json").json()["Sale"]
    lines_only = api.get(
        f"/Sale/{sale.pk}.json", params={"load_relations": '["SaleLines"]'}
    ).json()["Sale"]

    assert "SaleLines" not in bare and "Customer" not in bare
    assert "Item" not in lines_only["SaleLines"]["SaleLine"] and "Customer" not in lines_only
    bad = api.get(f"/Sale/{sale.pk}.json", params={"load_relations": '["Nope"]'})
    assert bad.status_code == 400


def test_refund_sale_has_negative_quantities_and_totals(api, account):
    item = make_item(account, "Kibble", "42.96")
    original = make_sale(account, [(item, 2, "42.96", None)])
    parent = original.lines.get()
    refund = make_sale(account, [(item, -2, "42.96", parent)])

    body = api.get(f"/Sale/{refund.pk}.json", params={"load_relations": ALL_RELATIONS}).json()

    line = body["Sale"]["SaleLines"]["SaleLine"]
    assert line["unitQuantity"] == "-2" and line["unitPrice"] == "42.96"
    assert line["parentSaleLineID"] == str(parent.pk)
    assert body["Sale"]["calcSubtotal"] == "-85.92"
    assert body["Sale"]["customerID"] == "0"


@pytest.mark.parametrize("header", [None, "Bearer unknown-token", "Basic abc"])
def test_missing_or_unknown_token_is_401(base, account, header):
    headers = {"Authorization": header} if header else {}
    url = f"{base}/API/V3/Account/{account.account_id}/Item.json"
    response = httpx.get(url, headers=headers)
    assert response.status_code == 401
    assert response.json()["message"] == "Access token could not be verified."


def test_expired_token_is_401_but_script_token_works(base, account):
    url = f"{base}/API/V3/Account/{account.account_id}/Item.json"
    expired = make_token(account, expired=True)
    assert (
        httpx.get(url, headers={"Authorization": f"Bearer {expired.access_token}"}).status_code
        == 401
    )
    script = httpx.get(url, headers={"Authorization": f"Bearer {account.script_token}"})
    assert script.status_code == 200 and script.json()["@attributes"]["count"] == "0"


def test_unknown_sale_and_other_account_are_404(base, api, account):
    other = make_account("150002")
    other_sale = make_sale(other, [(None, 1, "1.00", None)])
    assert api.get(f"/Sale/{other_sale.pk}.json").status_code == 404
    assert api.get("/Sale/999999.json").status_code == 404
    token = api.headers["Authorization"]
    foreign = httpx.get(f"{base}/API/V3/Account/150002/Item.json", headers={"Authorization": token})
    assert foreign.status_code == 404


def _refresh(base, account, refresh_token):
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": account.client_id,
        "client_secret": account.client_secret,
    }
    return httpx.post(f"{base}/auth/oauth/token", data=form)


def test_refresh_rotates_and_old_refresh_token_is_refused(base, account):
    token = make_token(account, expired=True)

    first = _refresh(base, account, token.refresh_token)

    assert first.status_code == 200
    data = first.json()
    assert data["token_type"] == "bearer" and data["expires_in"] == 3600
    assert data["refresh_token"] != token.refresh_token
    again = _refresh(base, account, token.refresh_token)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    url = f"{base}/API/V3/Account/{account.account_id}/Item.json"
    ok = httpx.get(url, headers={"Authorization": f"Bearer {data['access_token']}"})
    assert ok.status_code == 200


def test_authorization_code_works_once_and_bad_client_is_refused(base, account):
    account.authorization_code = "code-123"
    account.save()
    form = {"grant_type": "authorization_code", "code": "code-123"}
    creds = {"client_id": account.client_id, "client_secret": account.client_secret}

    assert httpx.post(f"{base}/auth/oauth/token", data={**form, **creds}).status_code == 200
    assert httpx.post(f"{base}/auth/oauth/token", data={**form, **creds}).status_code == 400
    wrong = {"client_id": account.client_id, "client_secret": "nope"}
    assert httpx.post(f"{base}/auth/oauth/token", data={**form, **wrong}).status_code == 401
    assert SandboxToken.objects.filter(account=account).count() == 1


def test_full_bucket_answers_429_with_retry_after_then_drips(api, account):
    # A near-zero drip rate so the bucket cannot leak between the requests.
    account.bucket_capacity = 2
    account.drip_rate = 0.001
    account.save()

    # R-Series: the request that overfills the bucket still runs (reference §2.2): 1, 2, ~3.
    responses = [api.get("/Item.json") for _ in range(3)]
    refused = api.get("/Item.json")

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert responses[0].headers["X-LS-API-Bucket-Level"] == "1/2"
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    account.refresh_from_db()
    account.drip_rate = 1
    account.bucket_updated_at = timezone.now() - timedelta(seconds=10)
    account.save()
    assert api.get("/Item.json").status_code == 200


def test_create_item_customer_sale_then_replace_lines(api, account):
    item = api.post(
        "/Item.json",
        json={
            "description": "Kibble",
            "upc": "012345678905",
            "Prices": {"ItemPrice": {"amount": "9.5"}},
        },
    ).json()["Item"]
    contact = {"Emails": {"ContactEmail": {"address": "a@example.com", "useType": "Primary"}}}
    customer = api.post("/Customer.json", json={"firstName": "Ann", "Contact": contact}).json()
    customer_id = customer["Customer"]["customerID"]
    line = {"itemID": item["itemID"], "unitQuantity": "3"}
    created = api.post(
        "/Sale.json", json={"customerID": customer_id, "SaleLines": {"SaleLine": [line]}}
    ).json()["Sale"]

    assert created["SaleLines"]["SaleLine"]["unitPrice"] == "9.50"
    assert created["calcSubtotal"] == "28.50"
    assert created["Customer"]["Contact"]["Emails"]["ContactEmail"]["address"] == "a@example.com"
    misc = {"itemID": "0", "unitQuantity": "1", "unitPrice": "2"}
    replaced = api.put(f"/Sale/{created['saleID']}.json", json={"SaleLines": {"SaleLine": misc}})
    assert replaced.json()["Sale"]["SaleLines"]["SaleLine"]["itemID"] == "0"
    assert SandboxSale.objects.get(pk=created["saleID"]).lines.count() == 1
    assert api.get("/Customer.json").json()["Customer"]["firstName"] == "Ann"


def test_sandbox_is_not_mounted_when_disabled():
    from astro_site import urls

    try:
        with override_settings(POS_SANDBOX_ENABLED=False):
            importlib.reload(urls)
            assert not any(str(p.pattern).startswith("sandbox/") for p in urls.urlpatterns)
    finally:
        importlib.reload(urls)
        clear_url_caches()
    assert any(str(p.pattern).startswith("sandbox/") for p in urls.urlpatterns)
