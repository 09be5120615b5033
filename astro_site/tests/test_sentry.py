"""The Sentry hook: off without SENTRY_DSN; with it, errors arrive with every secret scrubbed.
A local HTTP receiver stands in for Sentry's ingest endpoint; the app runs in a subprocess."""

import gzip
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from django.conf import settings

INGEST_PORT = 8134
SECRETS = ["LS-ACCESS-8f1", "LS-REFRESH-2c7", "DIST-SIGNING-91d", "POS-API-KEY-4e0"]

APP = """
import django, sentry_sdk
django.setup()  # settings/base.py starts the SDK from SENTRY_DSN


def refresh_lightspeed(access_token, refresh_token, signing_secret, key):
    raise RuntimeError("Lightspeed refused the refresh")


try:
    refresh_lightspeed(*{secrets!r})
except RuntimeError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(timeout=10)
"""


@pytest.fixture
def ingest():
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append(body.decode("utf-8", "replace"))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", INGEST_PORT), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield received
    server.shutdown()
    server.server_close()


def test_sentry_is_off_unless_a_dsn_is_set():
    assert not settings.SENTRY_DSN
    assert not sentry_sdk.get_client().is_active()


def test_an_error_reaches_sentry_with_tokens_and_secrets_scrubbed(ingest):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "astro_site.settings.base",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{INGEST_PORT}/1",
        "SENTRY_ENVIRONMENT": "ci",
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", APP.format(secrets=SECRETS)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    events = [body for body in ingest if "Lightspeed refused the refresh" in body]
    assert events, ingest
    [event] = events
    assert '"environment":"ci"' in event.replace(" ", "")
    assert "refresh_lightspeed" in event  # the frame is there, its secret arguments are not
    for secret in SECRETS:
        assert secret not in event
