"""Benchmark: one Celery worker drains a backlog of pending distributor reports (SPEC §6).

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL). Creates a throw-away database with N
pending reports, serves the distributor receiver sandbox with gunicorn (threaded, so
connections stay alive), starts one worker (`--concurrency` processes), both on the deployed
settings, and times the catch-up until nothing is pending; then prints the receiver's duplicate
count, which must be 0, and the CPU seconds the worker and the receiver used.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/astro REDIS_URL=redis://127.0.0.1:6379/14 \\
      .venv/bin/python bench/drain_reports.py --reports 10000
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astro_site.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="the receiver's port (0: any free)")
    # A threaded gunicorn keeps the worker's connections alive, as a distributor's server
    # would; sync workers close each one after its answer.
    parser.add_argument("--receiver-workers", type=int, default=2)
    parser.add_argument("--receiver-threads", type=int, default=8)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to PostgreSQL and REDIS_URL: this measures the real set-up.")

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    processes: list[subprocess.Popen] = []
    try:
        run(args, connection, processes)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - our own commands
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )


def run(args, connection, processes) -> None:
    from django.conf import settings
    from django.core.management import call_command

    from loyalty.tasks import send_due_reports_task

    db = connection.settings_dict
    env = os.environ | {
        # The receiver and the worker run as deployed (persistent database connections), not
        # on the test settings this process uses to make its throw-away database.
        "DJANGO_SETTINGS_MODULE": "astro_site.settings.base",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    port = args.port or free_port()
    endpoint = f"http://127.0.0.1:{port}/sandbox/distributor/reports/"
    seed(args.reports, endpoint, settings.DISTRIBUTOR_SANDBOX_SECRET)
    call_command("distributor_sandbox", "--reset", stdout=StringIO())
    start_receiver_and_worker(args, env, port, processes)

    rss_before = worker_rss_mb(processes[1].pid)
    cpu_before = [cpu_seconds(process.pid) for process in processes]
    database_before = database_cpu_seconds(connection)
    started = time.monotonic()
    for _ in range(args.concurrency):  # one catch-up chain per worker process
        send_due_reports_task.delay()
    pending = wait_until_drained(started)
    took = time.monotonic() - started
    rss_after = worker_rss_mb(processes[1].pid)
    receiver_cpu, worker_cpu = (
        cpu_seconds(process.pid) - before
        for process, before in zip(processes, cpu_before, strict=True)
    )
    database_cpu = database_cpu_seconds(connection) - database_before

    out = StringIO()
    call_command("distributor_sandbox", "--stats", stdout=out)
    stats = json.loads(out.getvalue())
    print(f"reports drained: {args.reports} by one worker ({args.concurrency} processes)")
    print(
        f"time to drain: {took:.1f} s ({args.reports / took:.0f} reports/s), "
        f"left pending: {pending}"
    )
    print(f"worker RSS: {rss_before:.0f} MB before, {rss_after:.0f} MB after (largest process)")
    print(
        f"CPU seconds while draining: worker {worker_cpu:.1f}, receiver {receiver_cpu:.1f}, "
        f"PostgreSQL {database_cpu:.1f}"
    )
    print(
        f"receiver: accepted {stats['accepted']}, duplicates refused {stats['duplicates_refused']}"
    )


def start_receiver_and_worker(args, env: dict, port: int, processes: list) -> None:
    """The receiver sandbox under gunicorn and one Celery worker, both answering. The receiver
    runs on its own settings (simulators/distributor/standalone_settings.py): its endpoint
    without Astro's middleware, as a distributor's server would be."""
    from astro_site.celery import app

    logs = Path(os.environ.get("BENCH_LOGS", "/tmp"))  # noqa: S108 - a developer's scratch logs
    gunicorn = [sys.executable, "-m", "gunicorn", "astro_site.wsgi", "-k", "gthread"]
    gunicorn += ["-w", str(args.receiver_workers), "--threads", str(args.receiver_threads)]
    gunicorn += ["-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    receiver_env = env | {"DJANGO_SETTINGS_MODULE": "simulators.distributor.standalone_settings"}
    processes.append(start(gunicorn, receiver_env, logs / "bench-receiver.log"))
    worker = [sys.executable, "-m", "celery", "-A", "astro_site", "worker"]
    worker += [f"--concurrency={args.concurrency}", "--loglevel=WARNING"]
    processes.append(start(worker, env, logs / "bench-worker.log"))
    app.control.purge()
    wait(lambda: _up(port), 30)
    # gunicorn listens before its workers have loaded Django, and a busy machine takes a while:
    # a send queued meanwhile times out, goes again later, and counts as a refused repeat.
    wait_for_receiver(f"http://127.0.0.1:{port}/sandbox/distributor/reports/", 16, 120)
    wait(lambda: bool(app.control.ping(timeout=1.0)), 120)  # the worker is up on Redis


def wait_for_receiver(url: str, count: int, timeout: float) -> None:
    """`count` answers from the receiver: an unsigned POST, refused (401) once Django is up."""
    import urllib.error
    import urllib.request

    deadline, answered = time.monotonic() + timeout, 0
    while answered < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer; see the logs")
        try:
            urllib.request.urlopen(url, data=b"{}", timeout=10).close()  # noqa: S310 - loopback
        except urllib.error.HTTPError:
            answered += 1  # any HTTP answer: the worker has loaded Django and the endpoint
        except OSError:
            time.sleep(0.5)
        else:
            answered += 1


def worker_rss_mb(pid: int) -> float:
    """The largest resident memory among the worker and its pool processes, in MB."""
    from load import children, rss_mb

    pids = [pid, *children(pid)]
    pids += [grandchild for child in pids[1:] for grandchild in children(child)]
    return max(rss_mb(p) for p in pids)


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its children and grandchildren, in seconds."""
    from load import children

    pids = [pid, *children(pid)]
    pids += [grandchild for child in pids[1:] for grandchild in children(child)]
    return processes_cpu_seconds(pids)


def database_cpu_seconds(connection) -> float:
    """CPU of the PostgreSQL backends serving this database's connections (a local server)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return processes_cpu_seconds([pid for (pid,) in cursor.fetchall()])


def processes_cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def seed(count: int, endpoint: str, secret: str) -> None:
    from loyalty.models import Card, DistributorReport, Redemption
    from loyalty.tests import factories

    retailer = factories.RetailerFactory(name="Bench Pet Supply")
    distributor = factories.DistributorFactory(
        delivery_method="https", endpoint_url=endpoint, signing_secret=secret
    )
    program_card = factories.ProgramCardFactory(purchases_required=1)
    factories.EnrollmentFactory(
        retailer=retailer, program=program_card.program, distributor=distributor
    )
    item = program_card.redeemable_items.get()
    owners = factories.PetOwnerFactory.create_batch(100, retailer=retailer)
    cards = Card.objects.bulk_create(
        Card(retailer=retailer, owner=owners[n % 100], program_card=program_card, status="redeemed")
        for n in range(count)
    )
    redemptions = Redemption.objects.bulk_create(
        Redemption(retailer=retailer, card=card, item=item) for card in cards
    )
    DistributorReport.objects.bulk_create(
        DistributorReport(
            retailer=retailer, distributor=distributor, kind="redemption", redemption=redemption
        )
        for redemption in redemptions
    )


def wait_until_drained(started: float, timeout: float = 600) -> int:
    from loyalty.models import DistributorReport

    pending = -1
    while time.monotonic() - started < timeout:
        pending = DistributorReport.objects.filter(state="pending").count()
        if pending == 0:
            break
        time.sleep(0.25)
    return pending


def _up(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait(condition, timeout: float) -> None:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise SystemExit("a process did not come up; see the logs")
        time.sleep(0.2)


if __name__ == "__main__":
    main()
