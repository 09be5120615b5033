"""The production stack of the operations tests: the Procfile's web, worker and beat on
production settings, a Redis of their own, PostgreSQL behind a proxy the test controls, and the
distributor receiver sandbox as its own server."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from loyalty.models.encrypted import configured_keys

from .servers import ProcfileProcess, RedisServer, TcpProxy, port_open, wait_for

WEB_PORT, PROXY_PORT, RECEIVER_PORT = 8131, 8132, 8133
REDIS_PORT = 16390
CATCH_UP_SECONDS = 2

needs_postgres = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the production stack runs on PostgreSQL"
    ),
]


def database_url(port: int) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@127.0.0.1:{port}/{db['NAME']}"


def field_keys() -> str:
    """The keys this test process encrypts secrets with: production refuses to start without
    keys, and the stack must read the distributors' secrets the tests wrote."""
    return ",".join(configured_keys())


def base_env() -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    return os.environ | {"PATH": f"{venv_bin}:{os.environ.get('PATH', '')}"}


def production_env(tmp: Path, *, db_port: int, redis_url: str, web_port: int) -> dict[str, str]:
    return base_env() | {
        "DJANGO_SETTINGS_MODULE": "astro_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": field_keys(),
        "DATABASE_URL": database_url(db_port),
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(collected_static(tmp.parent)),
        "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "2",
        "WORKER_CONCURRENCY": "2",
        "CELERY_BEAT_SCHEDULE_FILE": str(tmp / "beat-schedule"),
        "REPORT_CATCH_UP_SECONDS": str(CATCH_UP_SECONDS),
        "REPORT_RETRY_BASE_SECONDS": "1",
        "LOG_LEVEL": "INFO",
    }


_static: dict[str, Path] = {}


def collected_static(folder: Path) -> Path:
    """collectstatic once per run, as a production build does (the manifest storage needs it)."""
    if "path" not in _static:
        target = folder / "static-collected"
        env = base_env() | {
            "DJANGO_SETTINGS_MODULE": "astro_site.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": field_keys(),
            "DATABASE_URL": "sqlite:///:memory:",
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "ALLOWED_HOSTS": "localhost",
            "STATIC_ROOT": str(target),
        }
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            timeout=300,
        )
        _static["path"] = target
    return _static["path"]


def receiver(*args: str) -> dict:
    """The receiver sandbox's own command: switch it, empty it, or read what arrived."""
    out = StringIO()
    call_command("distributor_sandbox", *args, stdout=out)
    return json.loads(out.getvalue()) if args == ("--stats",) else {}


class Stack:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.redis = RedisServer(REDIS_PORT, tmp / "redis.log")
        self.proxy = TcpProxy(
            PROXY_PORT, ("127.0.0.1", int(connection.settings_dict["PORT"] or 5432))
        )
        self.env = production_env(
            tmp, db_port=PROXY_PORT, redis_url=self.redis.url, web_port=WEB_PORT
        )
        self.web_url = f"http://127.0.0.1:{WEB_PORT}"
        self.receiver_url = f"http://127.0.0.1:{RECEIVER_PORT}/sandbox/distributor/reports/"
        self.processes = {
            name: ProcfileProcess(name, self.env, tmp / f"{name}.log")
            for name in ("web", "worker", "beat")
        }
        receiver_env = base_env() | {
            "DJANGO_SETTINGS_MODULE": "astro_site.settings.test",
            "DATABASE_URL": database_url(int(connection.settings_dict["PORT"] or 5432)),
        }
        receiver_env.pop("REDIS_URL", None)
        self.receiver = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "astro_site.wsgi", "--workers", "2"]
            + ["--bind", f"127.0.0.1:{RECEIVER_PORT}"],
            cwd=settings.BASE_DIR,
            env=receiver_env,
            stdout=(tmp / "receiver.log").open("ab"),
            stderr=subprocess.STDOUT,
        )

    def start(self) -> None:
        for port in (WEB_PORT, PROXY_PORT, RECEIVER_PORT, REDIS_PORT):
            assert not port_open(port), f"port {port} is taken: a leftover from another run?"
        self.redis.start()
        self.proxy.up()
        receiver("--reset")
        for process in self.processes.values():
            process.start()
        self.processes["worker"].wait_for_output(" ready.", timeout=60)
        self.processes["beat"].wait_for_output("beat: Starting", timeout=60)
        wait_for(self.web_ready, timeout=60, what="web /healthz")
        wait_for(lambda: port_open(RECEIVER_PORT), timeout=30, what="receiver up")

    def web_ready(self) -> bool:
        try:
            return httpx.get(f"{self.web_url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()
        self.redis.thaw()
        self.receiver.terminate()
        self.receiver.wait(timeout=20)
        self.redis.kill()
        self.proxy.down()

    def logs(self) -> str:
        return "\n".join(
            f"--- {name} ---\n{process.output()[-4000:]}"
            for name, process in self.processes.items()
        )


@pytest.fixture(scope="session")
def _running_stack(tmp_path_factory, django_db_setup, django_db_blocker):
    """Started once per run (about 25 s): every test of this folder shares it."""
    stack = Stack(tmp_path_factory.mktemp("stack"))
    try:
        with django_db_blocker.unblock():
            stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def stack(_running_stack, transactional_db):
    """The shared stack as a test needs it: Redis running and answering, the database
    reachable, the receiver empty and accepting."""
    stack = _running_stack
    if stack.redis.process is None or stack.redis.process.poll() is not None:
        stack.redis.start()
    stack.redis.thaw()
    stack.proxy.up()
    receiver("--reset")
    yield stack
    stack.redis.thaw()
    stack.proxy.up()
