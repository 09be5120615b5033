"""Real processes for the operations tests: a Redis of the test's own, a TCP proxy in front of
PostgreSQL that can go down, and the Procfile's commands started as production starts them."""

from __future__ import annotations

import os
import selectors
import shlex
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what} after {timeout} s")


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class RedisServer:
    """`redis-server` on a port of the test's own: killed, frozen (SIGSTOP) and brought back."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log)  # noqa: S603
        wait_for(lambda: port_open(self.port), timeout=10, what="redis-server up")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen one must be able to die
            self.process.kill()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


class TcpProxy:
    """A TCP proxy of our own in front of the shared PostgreSQL, so a test can make the
    database unreachable without touching the server others use.

    down(): the port refuses and every open connection is cut (a stopped server).
    unresponsive(): open connections are cut and new ones are accepted but never answered
    (a server that hangs while starting, or a black-holed address).
    """

    def __init__(self, port: int, target: tuple[str, int]) -> None:
        self.port = port
        self.target = target
        self.mode = "down"
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def up(self) -> None:
        self._cut()
        self.mode = "up"
        if self._listener is None:
            self._listen()

    def down(self) -> None:
        self.mode = "down"
        if self._listener is not None:
            # shutdown() first: it stops the listening at once and wakes the accept() thread
            # (close() alone leaves the port accepting while that thread holds the socket).
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        self._cut()

    def unresponsive(self) -> None:
        self.mode = "unresponsive"
        if self._listener is None:
            self._listen()
        self._cut()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by down()
            with self._lock:
                self._open.add(client)
            if self.mode == "up":
                threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _pipe(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        with self._lock:
            self._open.add(server)
        peers = {client: server, server: client}
        chooser = selectors.DefaultSelector()
        for sock in peers:
            chooser.register(sock, selectors.EVENT_READ)
        try:
            while True:
                for key, _ in chooser.select(timeout=1):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    peers[key.fileobj].sendall(data)
        except OSError:
            return
        finally:
            chooser.close()
            for sock in peers:
                sock.close()

    def _cut(self) -> None:
        with self._lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


def procfile() -> dict[str, str]:
    """The Procfile's process types and their commands."""
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() and not name.startswith("#"):
            entries[name.strip()] = command.strip()
    return entries


class ProcfileProcess:
    """One Procfile command run by a shell, as a process manager runs it, in its own group."""

    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.command = procfile()[name]
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - the Procfile's own command
                ["/bin/sh", "-c", self.command],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for_output(self, text: str, *, timeout: float) -> float:
        def seen() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited: {self.output()[-3000:]}")
            return text in self.output()

        return wait_for(seen, timeout=timeout, what=f"{self.name}: {text!r}")

    def run(self, *, timeout: float) -> subprocess.CompletedProcess:
        """A one-off command (release): run to the end."""
        return subprocess.run(  # noqa: S603
            ["/bin/sh", "-c", self.command],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def shell_env_line(env: dict[str, str]) -> str:
    """The environment as a shell line, for a failure message a person can re-run."""
    return " ".join(f"{name}={shlex.quote(value)}" for name, value in sorted(env.items()))
