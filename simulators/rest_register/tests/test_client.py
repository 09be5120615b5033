"""The register's Astro client tells "try again later" from "Astro says no", for every odd
answer a network and a server can give (the transport stands in for the network only)."""

import httpx
import pytest

from simulators.rest_register.astro_client import AstroClient, AstroRefused, AstroUnreachable
from simulators.rest_register.models import UNREACHABLE_API_BASE


def client_answering(handler) -> AstroClient:
    return AstroClient(
        api_base="http://astro.test/api/v1",
        username="reg",
        key="k.k",
        transport=httpx.MockTransport(handler),
    )


def test_the_dead_address_is_unreachable_at_once():
    with AstroClient(api_base=UNREACHABLE_API_BASE, username="u", key="k") as astro:
        with pytest.raises(AstroUnreachable, match="cannot be reached"):
            astro.loyalty("POS-1")


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (httpx.Response(503, text="down for maintenance"), "answered 503"),
        (httpx.Response(429, headers={"Retry-After": "7"}, json={}), "try again in 7"),
        (httpx.Response(200, text="<html>captive portal</html>"), "was not JSON"),
    ],
)
def test_busy_failing_or_garbled_answers_mean_try_again_later(answer, words):
    with pytest.raises(AstroUnreachable, match=words):
        client_answering(lambda request: answer).loyalty("POS-1")


def test_a_timeout_means_try_again_later():
    def slow(request):
        raise httpx.ReadTimeout("no answer", request=request)

    with pytest.raises(AstroUnreachable, match="did not answer in time"):
        client_answering(slow).quote([])


def test_a_refusal_carries_astros_code_message_and_fields():
    body = {
        "code": "invalid",
        "message": "The request is not valid.",
        "fields": {"lines[0].quantity": "Send 1 or more."},
    }
    with pytest.raises(AstroRefused) as refused:
        client_answering(lambda request: httpx.Response(400, json=body)).quote([])
    assert refused.value.status == 400 and refused.value.code == "invalid"
    assert refused.value.message == "The request is not valid. lines[0].quantity: Send 1 or more."


def test_requests_carry_basic_auth_the_idempotency_key_and_a_quoted_customer_id():
    seen = []

    def record(request):
        seen.append(request)
        return httpx.Response(201, json={"ok": True}, headers={"Idempotent-Replayed": "true"})

    answer = client_answering(record).send("POST", "sales/", body={}, idempotency_key="abc")
    client_answering(record).loyalty("POS 1/2")
    assert answer.replayed and answer.body == {"ok": True}
    assert seen[0].headers["Idempotency-Key"] == "abc"
    assert seen[0].headers["Authorization"].startswith("Basic ")
    assert seen[1].url.raw_path == b"/api/v1/links/POS%201%2F2/loyalty"


def test_a_field_the_message_already_names_is_not_repeated():
    body = {
        "code": "invalid",
        "message": "lines[0].quantity: Send 1 or more.",
        "fields": {"lines[0].quantity": "Send 1 or more."},
    }
    with pytest.raises(AstroRefused, match=r"^lines\[0\]\.quantity: Send 1 or more\.$"):
        client_answering(lambda request: httpx.Response(400, json=body)).quote([])
