"""Issue 13, finding 7: URLs over 4 KB and oversized headers get a JSON 414/431, not gunicorn's
HTML page. gunicorn refuses them before Django, so this starts gunicorn as production does
(astro_site/gunicorn_config.py, the Procfile's web process) and talks to it over a socket."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn_port():
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "astro_site.settings.test"}
    server = subprocess.Popen(  # noqa: S603 - our own server command
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:astro_site.gunicorn_config",
            "astro_site.wsgi",
        ]
        + ["-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _send(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
    return int(status_line.split()[1]), headers, body


def test_a_url_over_4_kb_is_a_json_414(gunicorn_port):
    path = "/api/v1/links/C-1/redeemable?inventory=" + "1" * 5000
    status, headers, body = _send(
        gunicorn_port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    )
    assert status == 414 and headers["content-type"] == "application/json"
    answer = json.loads(body)
    assert answer["code"] == "uri_too_long" and "request body" in answer["message"]


@pytest.mark.parametrize(
    "headers",
    ["X-Big: " + "a" * 9000 + "\r\n", "".join(f"X-{n}: 1\r\n" for n in range(120))],
)
def test_oversized_headers_are_a_json_431(gunicorn_port, headers):
    request = f"GET /api/v1/ping/ HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n"
    status, answer_headers, body = _send(gunicorn_port, request.encode())
    assert status == 431 and answer_headers["content-type"] == "application/json"
    assert json.loads(body)["code"] == "headers_too_large"


def test_an_ordinary_request_is_served_by_the_same_worker(gunicorn_port):
    request = b"GET /api/v1/ping/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    status, _, body = _send(gunicorn_port, request)
    assert status == 200 and json.loads(body) == {"status": "ok"}
