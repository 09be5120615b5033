"""Credentials: Api-Key and Basic work; wrong or revoked keys get a JSON 401; per-key limits."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from integrations.api_v1.credentials import revoke_key
from integrations.api_v1.models import ApiCredential

from .conftest import ApiCaller

LOYALTY = "/api/v1/customers/?email=nobody@example.com"


def test_api_key_header_is_accepted(api):
    response = api.get(LOYALTY)
    assert response.status_code == 200
    assert response.json() == []


def test_basic_with_username_and_key_is_accepted(client, issued):
    caller = ApiCaller(client, issued.key, username=issued.credential.username, basic=True)
    assert caller.get(LOYALTY).status_code == 200


def test_basic_with_another_username_is_refused(client, issued):
    caller = ApiCaller(client, issued.key, username="someone-else", basic=True)
    response = caller.get(LOYALTY)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize("key", ["nonsense", "abc.def", ""])
def test_a_wrong_key_gets_a_json_401_that_says_what_to_do(client, issued, key):
    response = ApiCaller(client, key).get(LOYALTY)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"code", "message"}
    assert "key" in body["message"].lower()


def test_no_credentials_at_all_is_401_with_a_hint(client, issued):
    response = client.get(LOYALTY)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_key_with_the_right_prefix_but_a_wrong_secret_is_refused(client, issued):
    prefix = issued.key.split(".")[0]
    assert ApiCaller(client, f"{prefix}.not-the-secret").get(LOYALTY).status_code == 401


def test_a_revoked_key_is_refused_from_the_next_request(api, issued):
    assert api.get(LOYALTY).status_code == 200
    assert revoke_key(credential=issued.credential, actor=None) is True
    response = api.get(LOYALTY)
    assert response.status_code == 401
    assert "revoked" in response.json()["message"]
    assert revoke_key(credential=issued.credential, actor=None) is False


def test_only_a_sha256_and_the_prefix_of_the_key_are_stored(issued):
    row = ApiCredential.objects.get(pk=issued.credential.pk)
    assert row.key_hash == hashlib.sha256(issued.key.encode()).hexdigest()
    assert issued.key.startswith(row.key_prefix + ".")
    assert issued.key not in str(ApiCredential.objects.values().get(pk=row.pk))


def test_each_key_has_its_own_request_budget(settings, api, other_api):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "3/min"},
    }
    assert [api.get(LOYALTY).status_code for _ in range(3)] == [200, 200, 200]
    throttled = api.get(LOYALTY)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert throttled.json()["retry_after_seconds"] > 0
    assert other_api.get(LOYALTY).status_code == 200  # another key is not slowed down


def test_last_used_is_recorded_for_the_admin_screen(api, issued):
    api.get(LOYALTY)
    assert ApiCredential.objects.get(pk=issued.credential.pk).last_used_at is not None


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue()


def test_create_api_key_prints_a_working_username_and_key_once(client, api_retailer, location):
    output = run_command("--location", location.name)
    key = output.split("API key: ")[1].split()[0]
    username = output.split("API username: ")[1].split()[0]
    assert ApiCaller(client, key).get(LOYALTY).status_code == 200
    assert ApiCaller(client, key, username=username, basic=True).get(LOYALTY).status_code == 200
    assert ApiCredential.objects.get(username=username).location == location


def test_create_api_key_by_id_can_turn_the_api_on(retailer, location):
    output = run_command("--location", str(location.pk), "--pos-system", "celerant")
    assert "API key: " in output
    retailer.refresh_from_db()
    assert retailer.pos_integration == "celerant"


def test_create_api_key_explains_what_is_wrong(retailer, location):
    with pytest.raises(CommandError, match="No location"):
        run_command("--location", "Nowhere")
    with pytest.raises(CommandError, match="Enable the API"):
        run_command("--location", location.name)
    retailer.pos_integration = "lightspeed"
    retailer.save()
    with pytest.raises(CommandError, match="one POS integration at a time"):
        run_command("--location", location.name, "--pos-system", "pinogy")
    assert not ApiCredential.objects.exists()


def test_a_key_stops_working_when_the_store_switches_integration(api, api_retailer):
    api_retailer.pos_integration = "lightspeed"
    api_retailer.save()
    response = api.get(LOYALTY)
    assert response.status_code == 401
    assert "turned off for this store" in response.json()["message"]


def test_basic_with_a_non_ascii_username_is_a_plain_401(client, issued):
    caller = ApiCaller(client, issued.key, username="Zoë", basic=True)
    assert caller.get(LOYALTY).status_code == 401


def test_wrong_keys_from_one_address_are_throttled_and_others_are_not(settings, client, issued):
    """Issue 13: wrong keys were never throttled. Past the limit the address gets 429 (even
    with the right key, so guessing stops paying) while another address is served."""
    settings.API_BAD_KEY_LIMIT = 5
    here = {"REMOTE_ADDR": "203.0.113.9"}
    for n in range(5):
        wrong = client.get(
            "/api/v1/product-filter/", HTTP_AUTHORIZATION=f"Api-Key guess{n}", **here
        )
        assert wrong.status_code == 401
    basic = ApiCaller(client, "wrong", username=issued.credential.username, basic=True)
    refused = client.get("/api/v1/product-filter/", HTTP_AUTHORIZATION=basic.auth, **here)
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "throttled" and "wrong API keys from this address" in body["message"]
    assert body["retry_after_seconds"] == settings.API_BAD_KEY_WINDOW_SECONDS
    assert refused["Retry-After"] == str(settings.API_BAD_KEY_WINDOW_SECONDS)
    right = f"Api-Key {issued.key}"
    assert (
        client.get("/api/v1/product-filter/", HTTP_AUTHORIZATION=right, **here).status_code == 429
    )
    elsewhere = client.get(
        "/api/v1/product-filter/", HTTP_AUTHORIZATION=right, REMOTE_ADDR="198.51.100.7"
    )
    assert elsewhere.status_code == 200


def test_behind_trusted_proxies_the_address_is_the_one_they_saw(settings, rf):
    from loyalty.security.client_address import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_address(request) == "10.0.0.2"  # not trusted by default: a caller writes it
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.9"
