"""The X-Series sandbox behaves as the vendor documents: one-shot codes and rotating refresh
tokens, bearer auth, the request window, unsaved sales unknown to the API, and a register whose
buttons change the sale the way the real one does."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from simulators.lightspeed_x.models import SaleState, SandboxSale, SandboxToken
from simulators.lightspeed_x.shapes import register_sale_json, webhook_payload

from .factories import make_customer, make_product, make_sale, make_store, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    return make_store("pawsome")


def api(store, path: str) -> str:
    return f"/sandbox/lightspeed-x/{store.domain_prefix}/api/2026-04/{path}"


def token_url(store) -> str:
    return reverse("lightspeed_x_sandbox:token", args=[store.domain_prefix])


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_an_authorization_code_answers_once(client, store):
    start = {"redirect_uri": "https://astro.example/cb", "state": "s1"}
    answer = client.post(
        reverse("lightspeed_x_sandbox:connect"), {**start, "store": "pawsome", "approve": "1"}
    )
    assert "domain_prefix=pawsome" in answer["Location"] and "state=s1" in answer["Location"]
    store.refresh_from_db()
    form = {
        "grant_type": "authorization_code",
        "code": store.authorization_code,
        "client_id": store.client_id,
        "client_secret": store.client_secret,
    }
    issued = client.post(token_url(store), form)
    assert issued.status_code == 200 and issued.json()["expires_in"] == 604800
    assert client.post(token_url(store), form).json() == {"error": "invalid_grant"}


def test_deny_sends_the_admin_back_with_access_denied(client, store):
    start = {"redirect_uri": "https://astro.example/cb", "state": "s1", "store": "pawsome"}
    answer = client.post(reverse("lightspeed_x_sandbox:connect"), {**start, "deny": "1"})
    assert "error=access_denied" in answer["Location"]


def test_a_wrong_client_secret_is_refused(client, store):
    form = {
        "grant_type": "refresh_token",
        "refresh_token": "x",
        "client_id": store.client_id,
        "client_secret": "no",
    }
    assert client.post(token_url(store), form).json() == {"error": "invalid_client"}


def test_without_a_token_the_api_answers_401(client, store):
    sale = make_sale(store, [(make_product(store), 1)])
    assert client.get(api(store, f"sales/{sale.sale_id}")).status_code == 401
    expired = make_token(store, expired=True)
    assert (
        client.get(api(store, f"sales/{sale.sale_id}"), **bearer(expired.access_token)).status_code
        == 401
    )


def test_every_answer_says_how_much_of_the_window_is_left(client, store):
    store.rate_limit = 1
    store.save()
    token = make_token(store)
    first = client.get(api(store, "outlets"), **bearer(token.access_token))
    assert first["X-RateLimit-Limit"] == "1" and first["X-RateLimit-Remaining"] == "0"
    refused = client.get(api(store, "outlets"), **bearer(token.access_token))
    assert refused.status_code == 429 and refused["Retry-After"].endswith("GMT")


def test_a_sale_only_in_the_register_is_unknown_to_the_api(client, store):
    sale = make_sale(store, [(make_product(store), 1)], saved=False)
    answer = client.get(api(store, f"sales/{sale.sale_id}"), **bearer(store.personal_token))
    assert answer.status_code == 404
    assert (
        client.get(api(store, "sales/not-a-uuid"), **bearer(store.personal_token)).status_code
        == 404
    )


def sell(store, sale, action: str) -> str:
    return reverse(f"lightspeed_x_sandbox:{action}", args=[store.domain_prefix, sale.sale_id])


def test_pay_saves_the_sale_only_when_the_store_says_so(client, store):
    sale = make_sale(store, [(make_product(store), 1)], saved=False)
    store.save_on_pay = False
    store.save()
    client.post(sell(store, sale, "pay"))
    sale.refresh_from_db()
    assert not sale.saved
    client.post(sell(store, sale, "park"))
    sale.refresh_from_db()
    assert sale.saved and sale.state == SaleState.PARKED


def test_cash_closes_the_sale_and_a_return_has_negative_lines(client, store):
    customer = make_customer(store)
    sale = make_sale(
        store, [(make_product(store, price="10.00"), 2)], customer=customer, saved=False
    )
    client.post(sell(store, sale, "cash"))
    sale.refresh_from_db()
    assert sale.state == SaleState.CLOSED and sale.saved and sale.paid == Decimal("21.60")
    client.post(sell(store, sale, "return"))
    refund = SandboxSale.objects.get(return_for=sale)
    assert [line.quantity for line in refund.lines.all()] == [Decimal("-2")]
    assert refund.customer == customer and not refund.saved


def test_payment_steps_are_logged_and_accept_records_a_payment(client, store):
    sale = make_sale(store, [(make_product(store, price="10.00"), 1)], saved=False)
    url = sell(store, sale, "payment_step")
    client.post(url, json.dumps({"step": "EXIT"}), content_type="application/json")
    client.post(
        url, json.dumps({"step": "ACCEPT", "amount": "10.80"}), content_type="application/json"
    )
    sale.refresh_from_db()
    assert sale.payment_log == ["Astro Loyalty: EXIT", "Astro Loyalty (ACCEPT): 10.80 paid"]
    assert sale.state == SaleState.CLOSED
    bad = client.post(url, json.dumps({"step": "REFUND"}), content_type="application/json")
    assert bad.status_code == 400


def test_the_register_sale_has_the_documented_string_amounts(store):
    sale = make_sale(store, [(make_product(store, "Kibble", "54.99", upc="036000291452"), 1)])
    data = register_sale_json(sale)
    assert data["client_id"] == "web_register" and data["id"] == data["client_sale_id"]
    assert data["line_items"][0]["unit_price"] == "54.99000"
    assert data["totals"]["total_to_pay"] == "59.38920"
    assert webhook_payload(sale)["status"] == "OPEN"


def test_the_refresh_token_grant_revokes_the_old_refresh_token(client, store):
    token = make_token(store)
    form = {
        "grant_type": "refresh_token",
        "refresh_token": token.refresh_token,
        "client_id": store.client_id,
        "client_secret": store.client_secret,
    }
    assert client.post(token_url(store), form).status_code == 200
    assert SandboxToken.objects.get(pk=token.pk).revoked
    assert client.post(token_url(store), form).status_code == 400
