"""Distributor reports end to end (SPEC §6): a real Celery worker on Redis and PostgreSQL sends
to the receiver sandbox over real HTTP. Nothing is lost, nothing arrives twice."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from astro_site.celery import app
from loyalty.models import Card, DistributorReport, Redemption
from loyalty.models.cards import CardStatus
from loyalty.services.distributor_reports import outbox as reports
from loyalty.services.redemptions import redeem_card
from loyalty.tests import factories

ROOT = Path(__file__).resolve().parents[2]
CATCH_UP_SECONDS = 2

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="a real worker needs PostgreSQL and Redis (CI runs this)",
    ),
]


def receiver(*args: str) -> dict:
    """Drive the receiver sandbox the way a person would: its management command."""
    out = StringIO()
    call_command("distributor_sandbox", *args, stdout=out)
    text = out.getvalue().strip()
    return json.loads(text) if args == ("--stats",) else {}


class Worker:
    """`celery worker -B` in its own process group, on the test database."""

    def __init__(self, tmp_path: Path) -> None:
        db = connection.settings_dict
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "astro_site.settings.test",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
                f":{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "REPORT_CATCH_UP_SECONDS": str(CATCH_UP_SECONDS),
            "REPORT_RETRY_BASE_SECONDS": "1",
        }
        self.tmp_path = tmp_path
        self.starts = 0
        self.log = tmp_path / "worker.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "celery", "-A", "astro_site", "worker", "-B"]
        self.starts += 1  # a fresh beat file each start: a killed beat may leave a broken one
        schedule = self.tmp_path / f"beat-schedule-{self.starts}"
        command += ["--concurrency=2", "--loglevel=INFO", f"--schedule={schedule}"]
        ready_before = self.log.read_bytes().count(b" ready.") if self.log.exists() else 0
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own worker command
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        try:
            wait_for(
                lambda: self.log.read_bytes().count(b" ready.") > ready_before,
                # Loading Django and Celery takes seconds; on a busy shared machine, a minute.
                timeout=90,
                what="worker ready",
            )
        except AssertionError:
            self.kill()  # a worker left behind would take the next test's tasks
            raise

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its children): no clean shutdown."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition, *, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what} after {timeout} s")


@pytest.fixture
def worker(tmp_path, live_server):
    app.control.purge()  # nothing left over from another test
    receiver("--reset")
    worker = Worker(tmp_path)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def program_card(live_server, retailer):
    """A manufacturer program whose distributor receives signed JSON at the sandbox."""
    distributor = factories.DistributorFactory(
        delivery_method="https",
        endpoint_url=f"{live_server.url}/sandbox/distributor/reports/",
        signing_secret=settings.DISTRIBUTOR_SANDBOX_SECRET,
    )
    card = factories.ProgramCardFactory(purchases_required=1)
    factories.EnrollmentFactory(retailer=retailer, program=card.program, distributor=distributor)
    return card


def complete_cards(retailer, program_card, count: int) -> list[Card]:
    item = program_card.qualifying_items.get()
    owners = factories.PetOwnerFactory.create_batch(count, retailer=retailer)
    cards = [
        Card(retailer=retailer, owner=owner, program_card=program_card, status=CardStatus.COMPLETE)
        for owner in owners
    ]
    Card.objects.bulk_create(cards)
    for card in cards:
        card.purchases.create(retailer=retailer, item=item)
    return cards


def redeem(retailer, program_card, cards) -> None:
    item = program_card.redeemable_items.get()
    for card in cards:
        redeem_card(card=card, item_id=item.pk)


def all_sent(count: int):
    return lambda: DistributorReport.objects.filter(state="sent").count() == count


def test_fifty_redemptions_while_the_receiver_is_down_all_arrive_once_when_it_is_back(
    worker, retailer, program_card
):
    receiver("--mode", "down")
    redeem(retailer, program_card, complete_cards(retailer, program_card, 50))
    wait_for(
        lambda: DistributorReport.objects.filter(attempts__gt=0).count() == 50,
        timeout=30,
        what="a try of every report while the receiver is down",
    )
    assert DistributorReport.objects.filter(state="sent").count() == 0
    receiver("--mode", "up")
    wait_for(all_sent(50), timeout=90, what="50 reports sent")
    stats = receiver("--stats")
    assert stats["accepted"] == 50 and stats["duplicates_refused"] == 0
    keys = {str(key) for key in DistributorReport.objects.values_list("id", flat=True)}
    assert set(stats["per_key"]) == keys and stats["max_per_key"] == 1


def test_a_worker_killed_mid_send_still_delivers_the_report_once(worker, retailer, program_card):
    receiver("--mode", "slow", "--delay", "4")
    redeem(retailer, program_card, complete_cards(retailer, program_card, 1))
    time.sleep(2)  # the worker has posted and the receiver is still answering
    worker.kill()
    receiver("--mode", "up")
    worker.start()
    wait_for(all_sent(1), timeout=60, what="the report sent after the restart")
    stats = receiver("--stats")
    assert stats["accepted"] == 1  # the receiver has it once; a repeat was refused as duplicate


def test_a_lost_enqueue_is_sent_by_the_catch_up_within_two_periods(
    worker, retailer, program_card, monkeypatch
):
    monkeypatch.setattr(reports, "_enqueue", lambda report: None)  # the process died after commit
    redeem(retailer, program_card, complete_cards(retailer, program_card, 1))
    took = wait_for(all_sent(1), timeout=30, what="the catch-up send")
    assert took <= 2 * CATCH_UP_SECONDS + 1


def test_a_rolled_back_redemption_sends_nothing(worker, retailer, program_card):
    [card] = complete_cards(retailer, program_card, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        redeem(retailer, program_card, [card])
        raise RuntimeError("the visit failed after the redemption")
    time.sleep(2 * CATCH_UP_SECONDS + 1)
    assert not Redemption.objects.exists() and not DistributorReport.objects.exists()
    assert receiver("--stats")["accepted"] == 0


def test_a_400_marks_the_report_failed_after_one_attempt(worker, retailer, program_card):
    receiver("--mode", "error400")
    redeem(retailer, program_card, complete_cards(retailer, program_card, 1))
    wait_for(
        lambda: DistributorReport.objects.filter(state="failed").exists(),
        timeout=30,
        what="the report failed",
    )
    time.sleep(2 * CATCH_UP_SECONDS)  # the catch-up does not retry a failed report
    report = DistributorReport.objects.get()
    assert report.attempts == 1 and "Unknown distributor account number" in report.last_error


def test_two_catch_up_passes_at_once_send_nothing_twice(live_server, retailer, program_card):
    receiver("--reset")
    original = reports._enqueue
    reports._enqueue = lambda report: None  # leave every report to the catch-up
    try:
        redeem(retailer, program_card, complete_cards(retailer, program_card, 30))
    finally:
        reports._enqueue = original
    barrier = threading.Barrier(2)

    def sweep() -> None:
        try:
            barrier.wait(timeout=10)
            reports.send_due_reports()
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    stats = receiver("--stats")
    assert stats["accepted"] == 30 and stats["max_per_key"] == 1
    assert DistributorReport.objects.filter(state="sent").count() == 30
