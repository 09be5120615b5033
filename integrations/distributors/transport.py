"""The HTTP POST under client.post_signed: the standard library's http.client over a small pool
of kept-alive connections shared by the process's sending threads.

httpx cost 0.69 ms of CPU per report sent against 0.24 ms for http.client on this machine
(bench/drain_reports.py's worker, profiled): its request and response models, URL parsing and
connection pool were most of what a backlog's drain spent in the worker. The connections stay
open between reports, batches and tasks, so a backlog is not one TCP (and TLS) set-up per report.
TLS verifies the certificate and host name against certifi's roots, as httpx did. Where the
environment routes a receiver through a proxy (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, less
NO_PROXY), the POST goes through httpx as before, which reads those the same way.
"""

from __future__ import annotations

import http.client
import select
import ssl
import threading
import urllib.request
from urllib.parse import SplitResult, urlsplit

import certifi
import httpx

CONNECT_SECONDS = 3.0
READ_SECONDS = 10.0
# Sent with every report, as httpx sent its own: some servers and firewalls refuse a request
# without a User-Agent.
DEFAULT_HEADERS = {"User-Agent": "Astro-distributor-reports", "Accept": "*/*"}
# Idle connections kept per receiver: the sending threads of one process (sending.SEND_AT_ONCE).
MAX_IDLE = 8

_tls = ssl.create_default_context(cafile=certifi.where())
_idle: dict[tuple[str, str, int], list[http.client.HTTPConnection]] = {}
_lock = threading.Lock()
_proxied: dict[tuple[str, str, int], bool] = {}  # whether the environment names a proxy
_via_proxy: httpx.Client | None = None

# What a failed call can raise: refused, reset, DNS, TLS and time-outs are OSErrors; a
# malformed or cut-short answer an HTTPException.
TransportErrors = (OSError, http.client.HTTPException)


def post(endpoint: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST `body` and return the answer's status and its text (the first 500 characters)."""
    url = urlsplit(endpoint)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise http.client.InvalidURL(f"Not an http(s) URL: {endpoint}")
    key = (url.scheme, url.hostname, url.port or (443 if url.scheme == "https" else 80))
    if _is_proxied(key):
        return _post_via_proxy(endpoint, body, headers)
    connection = _take(key) or _connect(url, key)
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    try:
        connection.request("POST", path, body=body, headers=DEFAULT_HEADERS | headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")[:500]
    except BaseException:
        connection.close()  # never reuse a connection in an unknown state
        raise
    if response.will_close or connection.sock is None:
        connection.close()
    else:
        _give_back(key, connection)
    return response.status, text


def _is_proxied(key: tuple[str, str, int]) -> bool:
    if key not in _proxied:  # the environment is read once per receiver
        scheme, host = key[0], key[1]
        proxies = urllib.request.getproxies()
        named = proxies.get(scheme) or proxies.get("all")
        _proxied[key] = bool(named) and not urllib.request.proxy_bypass(host)
    return _proxied[key]


def _post_via_proxy(endpoint: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """Through the environment's proxy, with httpx (which reads it), the same time-outs."""
    global _via_proxy
    with _lock:
        if _via_proxy is None:
            _via_proxy = httpx.Client(timeout=httpx.Timeout(READ_SECONDS, connect=CONNECT_SECONDS))
    try:
        response = _via_proxy.post(endpoint, content=body, headers=headers)
    except httpx.TransportError as exc:  # refused, reset, DNS, time-outs
        raise OSError(str(exc)) from exc
    return response.status_code, response.text[:500]


def _connect(url: SplitResult, key: tuple[str, str, int]) -> http.client.HTTPConnection:
    """A new connection: CONNECT_SECONDS to connect (and shake hands), READ_SECONDS after."""
    host, port = key[1], key[2]
    if url.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, port, timeout=CONNECT_SECONDS, context=_tls
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=CONNECT_SECONDS)
    connection.connect()
    assert connection.sock is not None  # connect() either opened it or raised
    connection.sock.settimeout(READ_SECONDS)
    return connection


def _take(key: tuple[str, str, int]) -> http.client.HTTPConnection | None:
    """An idle connection to this receiver that it has not closed meanwhile, if any."""
    with _lock:
        idle = _idle.get(key, [])
        while idle:
            connection = idle.pop()
            if connection.sock is not None and not _readable(connection.sock):
                return connection
            connection.close()  # the receiver closed it while idle (or sent something unasked)
    return None


def _give_back(key: tuple[str, str, int], connection: http.client.HTTPConnection) -> None:
    with _lock:
        idle = _idle.setdefault(key, [])
        if len(idle) < MAX_IDLE:
            idle.append(connection)
            return
    connection.close()


def _readable(sock) -> bool:
    """An idle kept-alive socket is readable only when its peer closed it (or misbehaved)."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))
