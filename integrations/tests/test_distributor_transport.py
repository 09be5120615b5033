"""A report's signed POST (integrations/distributors/client.py over transport.py) against a
small local HTTP/1.1 receiver: kept-alive connections, what a failure means, time-outs."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.base import DeliveryError
from integrations.distributors import client, transport


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless told otherwise
    received: list[dict] = []
    peers: set = set()
    answer: tuple[int, bytes] = (200, b'{"status":"accepted"}')
    close_after = False  # hang up after answering, without saying so
    delay = 0.0

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.peers.add(self.client_address)
        Receiver.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        time.sleep(Receiver.delay)
        status, data = Receiver.answer
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except BrokenPipeError:
            return  # the sender gave up waiting (the time-out test)
        self.close_connection = Receiver.close_after

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Receiver.received, Receiver.peers = [], set()
    Receiver.answer, Receiver.close_after, Receiver.delay = (200, b"{}"), False, 0.0
    yield f"http://127.0.0.1:{server.server_port}/reports/?v=1"
    server.shutdown()
    server.server_close()


def test_reports_go_signed_over_one_kept_alive_connection(receiver):
    for n in range(3):
        client.post_signed(receiver, "secret", f"key-{n}", b'{"n":%d}' % n)
    assert [r["body"] for r in Receiver.received] == [b'{"n":0}', b'{"n":1}', b'{"n":2}']
    first = Receiver.received[0]
    assert first["path"] == "/reports/?v=1" and first["headers"]["Idempotency-Key"] == "key-0"
    assert first["headers"]["User-Agent"] and first["headers"]["Content-Type"] == "application/json"
    stamp = first["headers"]["X-Astro-Timestamp"]
    assert first["headers"]["X-Astro-Signature"] == client.sign("secret", stamp, b'{"n":0}')
    assert len(Receiver.peers) == 1  # one connection for all three


def test_a_connection_the_receiver_closed_while_idle_is_not_reused(receiver):
    Receiver.close_after = True
    client.post_signed(receiver, "secret", "key-1", b"{}")
    time.sleep(0.1)  # the hang-up reaches us
    client.post_signed(receiver, "secret", "key-2", b"{}")
    assert len(Receiver.received) == 2 and len(Receiver.peers) == 2


@pytest.mark.parametrize(
    ("status", "permanent"), [(400, True), (404, True), (429, False), (500, False), (503, False)]
)
def test_a_refusal_is_permanent_and_an_outage_is_not(receiver, status, permanent):
    Receiver.answer = (status, b'{"error":"Unknown distributor account number"}')
    with pytest.raises(DeliveryError) as failed:
        client.post_signed(receiver, "secret", "key-1", b"{}")
    assert failed.value.permanent is permanent
    assert failed.value.message.startswith(f"HTTP {status}: ") and "Unknown" in failed.value.message
    Receiver.answer = (200, b"{}")
    client.post_signed(receiver, "secret", "key-2", b"{}")  # the connection is still good


def test_an_unreachable_or_silent_receiver_is_worth_another_try(receiver, monkeypatch):
    with pytest.raises(DeliveryError) as refused:
        client.post_signed("http://127.0.0.1:9/reports/", "secret", "key-1", b"{}")
    assert not refused.value.permanent
    assert refused.value.message.startswith("Could not reach the distributor")
    monkeypatch.setattr(transport, "READ_SECONDS", 0.2)
    Receiver.delay = 1.0
    with pytest.raises(DeliveryError) as silent:
        client.post_signed(receiver, "secret", "key-2", b"{}")
    assert not silent.value.permanent and "timed out" in silent.value.message


def test_only_http_urls_are_posted_to():
    with pytest.raises(DeliveryError) as wrong:
        client.post_signed("ftp://example.com/reports", "secret", "key-1", b"{}")
    assert not wrong.value.permanent and "Not an http(s) URL" in wrong.value.message


def test_a_proxy_the_environment_names_is_used_as_httpx_used_it(receiver, monkeypatch):
    """HTTP_PROXY (here the local server, standing in for a proxy) carries the POST; NO_PROXY
    still goes straight."""
    proxy = receiver.split("/reports/")[0]
    for name in ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setattr(transport, "_proxied", {})  # the environment is read once per receiver
    client.post_signed("http://distributor.example/claims/", "secret", "key-1", b'{"n":1}')
    [through_proxy] = Receiver.received
    assert through_proxy["path"] == "http://distributor.example/claims/"
    assert through_proxy["headers"]["Idempotency-Key"] == "key-1"
    client.post_signed(receiver, "secret", "key-2", b"{}")  # 127.0.0.1: not through the proxy
    assert Receiver.received[-1]["path"] == "/reports/?v=1"
