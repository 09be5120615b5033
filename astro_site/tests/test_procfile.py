"""The Procfile's commands are how production starts (docs/operations.md): each one started here
on production settings must come up and do its job."""

from __future__ import annotations

import httpx

from .conftest import needs_postgres
from .servers import ProcfileProcess, procfile

pytestmark = needs_postgres


def test_the_procfile_names_release_web_worker_and_beat():
    assert set(procfile()) == {"release", "web", "worker", "beat"}


def test_release_migrates_on_production_settings(stack):
    release = ProcfileProcess("release", stack.env, stack.tmp / "release.log")
    done = release.run(timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No migrations to apply" in done.stdout


def test_web_worker_and_beat_come_up_and_work_together(stack):
    """The stack fixture started the three commands and waited for each to come up: web answers
    /healthz, the worker said ready, beat started. Now they work together: web is ready (its
    database, Redis and report queue), and beat's catch-up reached the worker through Redis."""
    ready = httpx.get(f"{stack.web_url}/readyz", timeout=5)
    assert ready.status_code == 200, ready.text
    assert {name for name, check in ready.json()["checks"].items() if check["ok"]} == {
        "database",
        "redis",
        "reports",
    }
    beat, worker = stack.processes["beat"], stack.processes["worker"]
    beat.wait_for_output("Sending due task catch-up-distributor-reports", timeout=30)
    worker.wait_for_output("loyalty.tasks.send_due_reports_task", timeout=30)
    worker.wait_for_output("succeeded", timeout=30)
