"""The sandbox's consent page and authorization_code grant, as a browser and a client use them."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from simulators.lightspeed.models import SandboxToken

from .factories import make_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return make_account(name="Pawsome Pets Lightspeed", client_id="astro-client")


def authorize_url(**params: str) -> str:
    query = {"response_type": "code", "client_id": "astro-client", "state": "s-123"} | params
    return reverse("lightspeed_sandbox:authorize") + "?" + urlencode(query)


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_consent_page_names_the_accounts_of_this_client_only(client, account):
    make_account("150002", name="Someone Else", client_id="another-client")

    response = client.get(authorize_url(scope="employee:register employee:customers"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Authorize Astro Loyalty to access Pawsome Pets Lightspeed" in page
    assert "Someone Else" not in page
    assert "Approve" in page


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"client_id": "nobody"}, "No sandbox account has this client_id."),
        ({"client_id": ""}, "No sandbox account has this client_id."),
        ({"response_type": "token"}, "response_type must be code."),
        ({"redirect_uri": "https://evil.example/steal"}, "redirect_uri is not"),
        ({"redirect_uri": "http://localhost@evil.example/"}, "redirect_uri is not"),
    ],
)
def test_a_bad_request_gets_a_400_page(client, account, params, problem):
    response = client.get(authorize_url(**params))
    assert response.status_code == 400
    assert problem in response.content.decode()


def test_approve_issues_a_code_and_returns_to_astros_callback(client, account):
    response = client.post(authorize_url(), {"account": account.pk, "approve": "1"})

    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith("http://testserver" + reverse("lightspeed_callback") + "?")
    account.refresh_from_db()
    assert query_of(target) == {"code": account.authorization_code, "state": "s-123"}


def test_approve_honours_a_loopback_redirect_uri_and_keeps_its_query(client, account):
    url = authorize_url(redirect_uri="http://127.0.0.1:9000/cb?next=1")

    response = client.post(url, {"account": account.pk, "approve": "1"})

    assert response["Location"].startswith("http://127.0.0.1:9000/cb?next=1&code=")
    assert query_of(response["Location"])["state"] == "s-123"


def test_deny_returns_access_denied_and_issues_no_code(client, account):
    response = client.post(authorize_url(), {"account": account.pk, "deny": "1"})

    assert query_of(response["Location"]) == {"error": "access_denied", "state": "s-123"}
    account.refresh_from_db()
    assert account.authorization_code == ""


def test_approving_an_account_of_another_client_is_refused(client, account):
    other = make_account("150002", client_id="another-client")
    response = client.post(authorize_url(), {"account": other.pk, "approve": "1"})
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.authorization_code == ""


def exchange(client, account, code: str):
    return client.post(
        reverse("lightspeed_sandbox:token"),
        {
            "grant_type": "authorization_code",
            "client_id": account.client_id,
            "client_secret": account.client_secret,
            "code": code,
        },
    )


def test_the_code_buys_one_token_pair_once(client, account):
    redirect = client.post(authorize_url(), {"account": account.pk, "approve": "1"})
    code = query_of(redirect["Location"])["code"]

    first = exchange(client, account, code)
    again = exchange(client, account, code)

    assert first.status_code == 200
    body = first.json()
    assert set(body) == {
        "access_token",
        "refresh_token",
        "expires_in",
        "token_type",
        "scope",
        "account_id",
    }
    assert body["account_id"] == account.account_id
    assert SandboxToken.objects.get(account=account).access_token == body["access_token"]
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_a_second_approval_replaces_the_pending_code(client, account):
    first = query_of(client.post(authorize_url(), {"account": account.pk})["Location"])["code"]
    second = query_of(client.post(authorize_url(), {"account": account.pk})["Location"])["code"]

    assert first != second
    assert exchange(client, account, first).status_code == 400
    assert exchange(client, account, second).status_code == 200
