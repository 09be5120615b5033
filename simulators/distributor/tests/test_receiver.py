"""The distributor receiver sandbox: signature, idempotency, modes, the command and page."""

import json
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from simulators.distributor.models import Delivery, ReceiverState
from simulators.distributor.signing import sign

pytestmark = pytest.mark.django_db
SECRET = "astro-distributor-sandbox-secret"


def post(client, body: dict, *, key="k-1", secret=SECRET, timestamp=None):
    raw = json.dumps(body).encode()
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    headers = {"HTTP_X_ASTRO_TIMESTAMP": stamp, "HTTP_X_ASTRO_SIGNATURE": sign(secret, stamp, raw)}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(
        reverse("distributor_sandbox:receive"), raw, content_type="application/json", **headers
    )


def stats() -> dict:
    out = StringIO()
    call_command("distributor_sandbox", "--stats", stdout=out)
    return json.loads(out.getvalue())


def test_a_report_is_accepted_once_and_a_repeat_is_a_2xx_duplicate(client):
    first = post(client, {"report_id": "r1", "kind": "redemption"})
    again = post(client, {"report_id": "r1", "kind": "redemption"})
    assert first.json()["status"] == "accepted"
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    figures = stats()
    assert figures["accepted"] == 1 and figures["duplicates_refused"] == 1
    assert figures["per_key"] == {"k-1": 2} and figures["max_per_key"] == 2


@pytest.mark.parametrize(
    ("secret", "timestamp"), [("wrong-secret", None), (SECRET, int(time.time()) - 3600)]
)
def test_a_bad_or_old_signature_is_refused(client, secret, timestamp):
    response = post(client, {"report_id": "r1"}, secret=secret, timestamp=timestamp)
    assert response.status_code == 401 and not Delivery.objects.exists()


def test_a_missing_idempotency_key_is_refused(client):
    assert post(client, {"report_id": "r1"}, key="").status_code == 400


@pytest.mark.parametrize(("mode", "status"), [("down", 503), ("error500", 500), ("error400", 400)])
def test_a_failing_receiver_stores_nothing(client, mode, status):
    call_command("distributor_sandbox", "--mode", mode, stdout=StringIO())
    response = post(client, {"report_id": "r1"})
    assert response.status_code == status and not Delivery.objects.exists()
    if mode == "error400":
        assert "Unknown distributor account number" in response.json()["error"]


def test_slow_waits_then_accepts(client):
    call_command("distributor_sandbox", "--mode", "slow", "--delay", "0.3", stdout=StringIO())
    started = time.monotonic()
    assert post(client, {"report_id": "r1"}).json()["status"] == "accepted"
    assert time.monotonic() - started >= 0.3


def test_reset_empties_and_sets_up(client):
    post(client, {"report_id": "r1"})
    call_command("distributor_sandbox", "--mode", "down", stdout=StringIO())
    call_command("distributor_sandbox", "--reset", stdout=StringIO())
    assert stats() | {"per_key": None} == {
        "mode": "up",
        "accepted": 0,
        "duplicates_refused": 0,
        "posts": 0,
        "per_key": None,
        "max_per_key": 0,
    }


def test_the_page_switches_the_mode_with_csrf(client):
    page = client.get(reverse("distributor_sandbox:home"))
    assert "Nothing received yet." in page.content.decode()
    client.post(reverse("distributor_sandbox:home"), {"mode": "down"})
    assert ReceiverState.current().mode == "down"


def test_each_received_claim_can_be_credited_or_declined_from_the_page(client):
    post(client, {"report_id": "r1", "kind": "redemption"})
    page = client.get(reverse("distributor_sandbox:home")).content.decode()
    assert 'value="credited"' in page and 'value="declined"' in page
    assert "Ineligible Free Good Size" in page and "Item Not In Program" in page


def test_the_command_sets_where_answers_go(client):
    url = "http://127.0.0.1:8000/distributors/credit-status/"
    call_command("distributor_sandbox", "--callback-url", url, stdout=StringIO())
    assert ReceiverState.current().callback_url == url


@override_settings(ROOT_URLCONF="simulators.distributor.standalone_urls", MIDDLEWARE=[])
def test_served_on_its_own_it_keeps_its_url_signature_and_once_per_key(client):
    """standalone_settings.py: the receiver without Astro's middleware, as the drain bench runs
    it, answers at the same URL, refuses a bad signature and stores a repeat once."""
    assert reverse("distributor_sandbox:receive") == "/sandbox/distributor/reports/"
    assert post(client, {"report_id": "r1"}, secret="wrong-secret").status_code == 401
    first = post(client, {"report_id": "r1", "kind": "redemption"})
    again = post(client, {"report_id": "r1", "kind": "redemption"})
    assert [first.json()["status"], again.json()["status"]] == ["accepted", "duplicate"]
    assert stats()["per_key"] == {"k-1": 2} and Delivery.objects.count() == 1
