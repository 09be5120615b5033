"""The HTTP POST under client.post_signed: urllib3's pool of kept-alive connections, shared by
the process's sending threads.

httpx cost 0.69 ms of the worker's CPU per report sent (bench/drain_reports.py, profiled): its
request and response models, URL parsing and connection pool were most of what a backlog's
drain spent in the worker; with urllib3 the whole worker spends about 0.8 ms a report. The
connections stay open between reports, batches and tasks, so a backlog is not one TCP (and TLS)
set-up per report; urllib3 drops a connection the receiver closed while it was idle. TLS
verifies the certificate and host name against certifi's roots, as httpx did. Where the
environment routes a receiver through a proxy (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, less
NO_PROXY), the POST goes through it, as httpx read those.
"""

from __future__ import annotations

import threading
import urllib.request
from urllib.parse import urlsplit

import certifi
import urllib3

CONNECT_SECONDS = 3.0
READ_SECONDS = 10.0
# Sent with every report, as httpx sent its own: some servers and firewalls refuse a request
# without a User-Agent.
DEFAULT_HEADERS = {"User-Agent": "Astro-distributor-reports", "Accept": "*/*"}
# Idle connections kept per receiver: the sending threads of one process (sending.SEND_AT_ONCE).
MAX_IDLE = 8
# One answer, no retries and no redirects followed: a report that was not accepted goes again
# later, under its Idempotency-Key, by the sending loop's own rules.
_POOL_OPTIONS = {"maxsize": MAX_IDLE, "retries": False, "ca_certs": certifi.where()}

_direct = urllib3.PoolManager(**_POOL_OPTIONS)
_lock = threading.Lock()
_proxied: dict[tuple[str, str], urllib3.ProxyManager | None] = {}  # by (scheme, host)

# What a failed call can raise: refused, reset, DNS, TLS and time-outs, a cut-short answer.
TransportErrors = (urllib3.exceptions.HTTPError, OSError)


class InvalidURL(urllib3.exceptions.HTTPError):
    """Not an http(s) URL: nothing is sent."""


def post(endpoint: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST `body` and return the answer's status and its text (the first 500 characters)."""
    url = urlsplit(endpoint)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise InvalidURL(f"Not an http(s) URL: {endpoint}")
    pool = _pool_for(url.scheme, url.hostname)
    response = pool.request(
        "POST",
        endpoint,
        body=body,
        headers=DEFAULT_HEADERS | headers,
        # Read at call time, so a test (or a settings change) may shorten them.
        timeout=urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS),
    )
    return response.status, response.data.decode("utf-8", "replace")[:500]


def _pool_for(scheme: str, host: str) -> urllib3.PoolManager:
    """The environment's proxy for this receiver, read once per receiver, or the direct pool."""
    key = (scheme, host)
    if key not in _proxied:
        proxies = urllib.request.getproxies()
        named = proxies.get(scheme) or proxies.get("all")
        with _lock:
            _proxied[key] = (
                urllib3.ProxyManager(named, **_POOL_OPTIONS)
                if named and not urllib.request.proxy_bypass(host)
                else None
            )
    return _proxied[key] or _direct
