"""What bench/side_by_side.py drives requests with: gunicorn, wrk (Debian's `wrk` package) with
a Lua script that prints its figures as JSON, and the workers' resident memory."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# wrk calls done() once at the end: the figures as one JSON line (latencies in microseconds).
DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nJSON {"requests": %d, "duration_us": %d, "errors": %d, "bad_status": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Figures:
    rps: float
    p50: float  # milliseconds
    p95: float
    p99: float
    requests: int
    errors: int


class Server:
    """gunicorn with the bench site (the project plus /bench/hello/), `workers` sync workers."""

    def __init__(self, port: int, workers: int, log: Path) -> None:
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "bench_site.settings",
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
        }
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "astro_site.wsgi"]
        command += [f"--bind=127.0.0.1:{port}", f"--workers={workers}", "--log-level=warning"]
        with log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
            )
        self.base = f"http://127.0.0.1:{port}"
        wait_for_port(port, 30)
        # gunicorn listens before its workers have loaded Django: wait for real answers.
        wait_for_answers(f"{self.base}/bench/hello/", workers, 120)

    def worker_rss_mb(self) -> list[float]:
        """Each worker's resident memory, in MB (Linux /proc)."""
        return [rss_mb(pid) for pid in children(self.process.pid)]

    def cpu_seconds(self) -> tuple[dict[int, float], dict[int, float]]:
        """CPU seconds (user and system) each worker and each of PostgreSQL's processes on
        this machine (its backends and its WAL writer alike: a request's commit is theirs
        too) has used so far, by pid; none for PostgreSQL on another machine."""
        postgres = [pid for pid, name in processes() if name == "postgres"]
        return cpu_seconds(children(self.process.pid)), cpu_seconds(postgres)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def children(parent: int) -> list[int]:
    """The processes whose parent is `parent` (gunicorn's workers, Celery's pool)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return sorted(found)


def processes() -> list[tuple[int, str]]:
    """(pid, command name) of every process this machine shows in /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name = stat.read_text().split("(", 1)[1].rsplit(")", 1)[0]
        except OSError:
            continue
        found.append((int(stat.parent.name), name))
    return found


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """The CPU seconds (user and system) each of these processes has used, from /proc."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings: all of a process that started meanwhile; one
    that ended meanwhile took its seconds with it (gunicorn's workers keep their database
    connections, CONN_MAX_AGE, so a row seldom loses one)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port}; see the logs")


def wait_for_answers(url: str, count: int, timeout: float) -> None:
    import urllib.request

    deadline, answered = time.monotonic() + timeout, 0
    while answered < count * 2:
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer; see the logs")
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - loopback
                answered += answer.status == 200
        except OSError:
            time.sleep(0.5)


def wrk(url: str, *, seconds: float, connections: int, headers=(), lua: str = "") -> Figures:
    """Drive `url` for `seconds` from `connections` connections; `lua` may add a request()."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + DONE_LUA)
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds:g}s"]
    command += ["--timeout", "10s", "-s", script.name]
    for header in headers:
        command += ["-H", header]
    try:
        out = subprocess.run(  # noqa: S603 - our own command
            [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    finally:
        os.unlink(script.name)
    data = json.loads(out.rsplit("JSON ", 1)[1])
    return Figures(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50=data["p50"] / 1000,
        p95=data["p95"] / 1000,
        p99=data["p99"] / 1000,
        requests=data["requests"],
        errors=data["errors"] + data["bad_status"],
    )


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def lua_cycle(paths: list[str], method: str = "GET") -> str:
    """A request() that walks the given paths in turn."""
    items = ", ".join(lua_string(p) for p in paths)
    return f"""
local paths = {{{items}}}
local n = 0
request = function()
  n = n + 1
  return wrk.format("{method}", paths[(n % #paths) + 1])
end
"""


def lua_sales(path: str, bodies: list[tuple[str, str]], run: str) -> str:
    """A request() posting each (head, tail) body in turn with a new pos_sale_id between."""
    items = ", ".join(f"{{{lua_string(h)}, {lua_string(t)}}}" for h, t in bodies)
    return f"""
local bodies = {{{items}}}
local n = 0
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
request = function()
  n = n + 1
  local body = bodies[(n % #bodies) + 1]
  local id = {lua_string(run)} .. "-" .. tid .. "-" .. n
  return wrk.format("POST", {lua_string(path)}, nil, body[1] .. id .. body[2])
end
"""
