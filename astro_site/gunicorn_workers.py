"""gunicorn workers whose own refusals are JSON, like every other API error (issue 13).

A request line longer than gunicorn's limit_request_line (4094 bytes: a URL over about 4 KB)
or headers past limit_request_field_size / limit_request_fields are refused by gunicorn before
Django sees the request, with an HTML page. The POS API answers JSON `{"code", "message"}`
everywhere, so these workers answer those two refusals (414 and 431) the same way; every other
error is gunicorn's own. astro_site/gunicorn_config.py (the Procfile's web process) selects them.
"""

from __future__ import annotations

import json

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

REFUSALS = {
    LimitRequestLine: (
        414,
        "URI Too Long",
        "uri_too_long",
        "The URL is longer than Astro accepts (about 4 KB). Send long lists, such as the "
        "store's inventory, in a request body: PUT /api/v1/inventory/.",
    ),
    LimitRequestHeaders: (
        431,
        "Request Header Fields Too Large",
        "headers_too_large",
        "A request header, or the number of headers, is larger than Astro accepts (8 KB per "
        "header, 100 headers). Send only the Authorization and Content-Type headers it needs.",
    ),
}


def json_refusal(status: int, reason: str, code: str, message: str) -> bytes:
    body = json.dumps({"code": code, "message": message}).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class JsonRefusals:
    def handle_error(self, req, client, addr, exc):
        refusal = next((r for kind, r in REFUSALS.items() if isinstance(exc, kind)), None)
        if refusal is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Refused a request from %s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, json_refusal(*refusal))
        except Exception:  # noqa: BLE001 - the client may be gone; nothing more to tell it
            self.log.debug("Failed to send the refusal.")
        return None


class JsonRefusalSyncWorker(JsonRefusals, SyncWorker):
    """gunicorn's default (sync) worker."""


class JsonRefusalThreadWorker(JsonRefusals, ThreadWorker):
    """gunicorn's gthread worker, for `--threads N`."""
