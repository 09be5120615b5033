"""The Twilio SMS adapter over real HTTP against a small local stand-in of Twilio's API."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest

from integrations.sms.twilio import TwilioSmsBackend
from loyalty.contracts.messages import SmsError


class FakeTwilio(BaseHTTPRequestHandler):
    received: list[dict] = []
    answer: tuple[int, dict] = (201, {"sid": "SM123"})

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers["Content-Length"])
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        FakeTwilio.received.append(
            {"path": self.path, "auth": self.headers["Authorization"], "form": form}
        )
        status, body = FakeTwilio.answer
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeTwilio.received, FakeTwilio.answer = [], (201, {"sid": "SM123"})
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC1", "secret"
    settings.TWILIO_FROM_NUMBER = "+15550009999"
    settings.TWILIO_API_BASE = f"http://127.0.0.1:{server.server_port}"
    yield TwilioSmsBackend()
    server.shutdown()
    server.server_close()


def test_a_text_is_posted_to_the_accounts_messages(twilio):
    assert twilio.send(to="+15550102233", body="One more to go") == "SM123"
    [request] = FakeTwilio.received
    assert request["path"] == "/2010-04-01/Accounts/AC1/Messages.json"
    assert request["form"] == {
        "To": "+15550102233",
        "From": "+15550009999",
        "Body": "One more to go",
    }
    assert request["auth"] == "Basic " + base64.b64encode(b"AC1:secret").decode()


def test_a_refused_number_is_permanent_and_an_outage_is_not(twilio):
    FakeTwilio.answer = (400, {"message": "The 'To' number is not a valid phone number."})
    with pytest.raises(SmsError) as refused:
        twilio.send(to="123", body="x")
    assert refused.value.permanent and "not a valid phone number" in str(refused.value)
    FakeTwilio.answer = (503, {})
    with pytest.raises(SmsError) as outage:
        twilio.send(to="+15550102233", body="x")
    assert not outage.value.permanent


def test_an_unreachable_twilio_is_a_retryable_error(twilio, settings):
    settings.TWILIO_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(SmsError) as down:
        TwilioSmsBackend().send(to="+15550102233", body="x")
    assert not down.value.permanent


def test_only_a_correctly_signed_inbound_text_is_read(twilio):
    url, params = "https://astro.example/m/sms/inbound/", {"From": "+15550102233", "Body": "STOP"}
    payload = url + "BodySTOP" + "From+15550102233"  # keys sorted, each key then its value
    good = base64.b64encode(hmac.new(b"secret", payload.encode(), hashlib.sha1).digest()).decode()
    inbound = twilio.parse_inbound(url=url, params=params, signature=good)
    assert inbound is not None and (inbound.sender, inbound.body) == ("+15550102233", "STOP")
    assert twilio.parse_inbound(url=url, params=params, signature="forged") is None
    assert twilio.parse_inbound(url=url, params=params | {"Body": "START"}, signature=good) is None
