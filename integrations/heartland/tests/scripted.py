"""A real HTTP server on a loopback port that answers each request with the next scripted answer:
for the odd answers a well-behaved sandbox never gives (an HTML error page, a date in
Retry-After, a page count that lies)."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class ScriptedServer:
    def __init__(self) -> None:
        self.answers: deque[Answer] = deque()
        self.requests: list[dict[str, Any]] = []
        script = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                script.requests.append({"path": self.path, "headers": dict(self.headers)})
                answer = script.answers.popleft() if script.answers else Answer(500, b"{}")
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api"

    def json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        self.answers.append(Answer(status, json.dumps(data).encode(), headers or {}))

    def raw(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.answers.append(Answer(status, body, headers or {}))

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
