"""Sending distributor reports (SPEC §6): one report right after its commit, and the catch-up
that sends whatever is still due, oldest first.

On PostgreSQL a send holds the report's row lock for its one HTTP call, so two workers or two
sweeps never send one report at once; the receiver drops a repeat by the report's id (the
Idempotency-Key) if a process dies between the receiver's answer and our commit.
"""

import logging
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from loyalty.contracts.distributors import DeliveryError
from loyalty.contracts.registry import report_delivery
from loyalty.models import DistributorReport, ReportState
from loyalty.models.programs import DeliveryMethod

from .payloads import report_payload

logger = logging.getLogger(__name__)

# Capped exponential backoff with jitter: 10 s, 20 s, 40 s ... (REPORT_RETRY_BASE_SECONDS) up to
# 15 minutes, far below the broker's one-hour visibility timeout.
BACKOFF_CAP_SECONDS = 15 * 60
# The catch-up sends this many reports per transaction (one claim query and one commit), and
# stops a batch early after this long, so rows are never held for long. 100 rather than 25: a
# drain's claim, read and commit per report cost a quarter (bench/drain_reports.py, worker CPU
# 1.37 to 1.03 ms a report).
CLAIM_BATCH = 100
BATCH_SECONDS = 10
# A batch's sends go out this many at a time, over the process's pool of kept-alive connections
# (integrations/distributors/transport.py), so a backlog is not one round trip after another.
SEND_AT_ONCE = 8
OUTCOME_FIELDS = ["attempts", "last_error", "state", "next_attempt_at", "sent_at"]


def backoff_seconds(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed try (half fixed, half random jitter)."""
    base = settings.REPORT_RETRY_BASE_SECONDS
    ceiling = min(BACKOFF_CAP_SECONDS, base * 2 ** max(attempts - 1, 0))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - spreading retries, not security


_REPORT_ROWS = DistributorReport.objects.select_related(
    "retailer",
    "distributor",
    "redemption__card__program_card__program",
    "redemption__card__owner",
    "redemption__item",
    "redemption__location",
    "reopen_request__purchase__item",
    "corrected_item",
)


def send_report(report_id: str) -> str:
    """Send one report if it is due and nobody else is sending it. Returns its state after."""
    if not _has_row_locks():
        return _send_without_locks([report_id])[1] or "busy"
    with transaction.atomic():
        report = (
            _REPORT_ROWS.select_for_update(of=("self",), skip_locked=True)
            .filter(pk=report_id)
            .first()
        )
        if report is None:
            return "busy"  # another worker or sweep holds it right now
        if report.state != ReportState.PENDING:
            return report.state
        _commit_without_waiting_for_disk()
        _deliver(report)
        return report.state


def send_due_reports(*, limit: int | None = None, seconds: float | None = None) -> int:
    """The catch-up pass: every due pending report, oldest first; returns how many were tried.
    Two passes at once skip each other's locked rows, so nothing is sent twice. With `seconds`,
    no new batch starts after that long (the caller queues the next pass)."""
    tried, started = 0, time.monotonic()
    while limit is None or tried < limit:
        if seconds is not None and time.monotonic() - started >= seconds:
            return tried
        size = CLAIM_BATCH if limit is None else min(CLAIM_BATCH, limit - tried)
        in_batch, more = _send_claimed_batch(size)
        tried += in_batch
        if not more:
            return tried
    return tried


def _due_reports():
    return (
        DistributorReport.objects.filter(
            state=ReportState.PENDING, next_attempt_at__lte=timezone.now()
        )
        .exclude(distributor__delivery_method=DeliveryMethod.HOLD)
        .order_by("created_at", "id")
    )


def _send_claimed_batch(size: int) -> tuple[int, bool]:
    """Lock up to `size` due reports, send them, save their outcomes, commit once.

    Claiming on the report table alone and loading the rest by key keeps the claim cheap however
    long the backlog. The batch stops at the first transient failure (the receiver is likely
    down: the rest stay due for the next pass) or after BATCH_SECONDS, so a slow receiver never
    holds rows or a task for long. A crash mid-batch only repeats sends, which the receiver drops
    by their Idempotency-Key. Returns (reports tried, whether more may be due)."""
    if not _has_row_locks():
        due = list(_due_reports().values_list("pk", flat=True)[:size])
        return (_send_without_locks(due)[0], True) if due else (0, False)
    with transaction.atomic():
        claimed = list(
            _due_reports()
            .select_for_update(of=("self",), skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        if not claimed:
            return 0, False
        _commit_without_waiting_for_disk()
        reports = _REPORT_ROWS.filter(pk__in=claimed).order_by("created_at", "id")
        return len(_send_each(reports)), True


def _send_each(reports) -> list[DistributorReport]:
    """Deliver in order, SEND_AT_ONCE at a time over the process's kept-alive connections, then
    save the outcomes (_save_outcomes). After a transient failure (the receiver is likely down)
    or once the batch has run BATCH_SECONDS, no further send starts: those reports stay due, as
    they were, for the next pass. Returns the reports tried."""
    reports = list(reports)
    # The payloads are read here, in the transaction that holds the rows; the threads only
    # carry bytes and never touch the database.
    sends = [_delivery_call(report) for report in reports]
    deadline, stop = time.monotonic() + BATCH_SECONDS, threading.Event()

    def run(send: Callable[[], DeliveryError | None]) -> tuple[bool, DeliveryError | None]:
        """(whether it went, its failure if any)"""
        if stop.is_set() or time.monotonic() > deadline:
            return False, None
        failure = send()
        if failure is not None and not failure.permanent:
            stop.set()
        return True, failure

    with ThreadPoolExecutor(SEND_AT_ONCE) as pool:
        outcomes = list(pool.map(run, sends))
    tried = [(r, failure) for r, (went, failure) in zip(reports, outcomes, strict=True) if went]
    _save_outcomes(tried)
    return [report for report, _ in tried]


def _save_outcomes(outcomes: list[tuple[DistributorReport, DeliveryError | None]]) -> None:
    """One UPDATE for all the reports that arrived alike (a batch is usually one), and one per
    failure (each has its own error and retry time). Django's bulk_update would build a CASE
    per field and row: most of a batch's CPU, profiled."""
    now, arrived = timezone.now(), defaultdict(list)
    for report, failure in outcomes:
        _record_outcome(report, failure, now)
        if failure is None:
            arrived[report.state].append(report.pk)
        else:
            report.save(update_fields=OUTCOME_FIELDS)
    for state, ids in arrived.items():
        DistributorReport.objects.filter(pk__in=ids).update(
            state=state, sent_at=now, last_error="", attempts=F("attempts") + 1
        )


def _has_row_locks() -> bool:
    return connection.features.has_select_for_update


def _send_without_locks(report_ids) -> tuple[int, str]:
    """SQLite (the embedded demo) has no row locks, and a transaction held open across the HTTP
    call would lock the receiver sandbox, which writes to the same file, out until both time
    out. So each report is read, sent and saved without a surrounding transaction. Two senders
    may then both send one report; the receiver drops the repeat by its Idempotency-Key.
    Returns (reports tried, the state of the last one)."""
    pending = _REPORT_ROWS.filter(pk__in=report_ids, state=ReportState.PENDING)
    tried = _send_each(pending.order_by("created_at", "id"))
    if not tried:
        last = DistributorReport.objects.filter(pk__in=report_ids).first()
        return 0, last.state if last else ""
    return len(tried), tried[-1].state


def _commit_without_waiting_for_disk() -> None:
    """The commit that records a send need not wait for the disk: if the database loses it in a
    crash, the report is still pending and goes again with the same Idempotency-Key, which the
    receiver drops. A backlog then drains without one disk flush per report. The outbox row
    itself is written in the cashier's transaction, which keeps full durability."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _deliver(report: DistributorReport) -> None:
    """One try, under the caller's row lock; the outcome is saved in the same transaction."""
    _record_outcome(report, _delivery_call(report)(), timezone.now())
    report.save(update_fields=OUTCOME_FIELDS)


def _delivery_call(report: DistributorReport) -> Callable[[], DeliveryError | None]:
    """The send of one report, ready to run anywhere: it returns the failure, if any."""
    distributor = report.distributor
    deliver = report_delivery()
    arguments: dict[str, Any] = {
        "method": distributor.delivery_method,
        "endpoint": distributor.endpoint_url,
        "email": distributor.email,
        "secret": distributor.signing_secret,
        "key": report.idempotency_key,
        "payload": report_payload(report),
    }

    def send() -> DeliveryError | None:
        try:
            deliver(**arguments)
        except DeliveryError as exc:
            return exc
        return None

    return send


def _record_outcome(
    report: DistributorReport, failure: DeliveryError | None, now: datetime
) -> None:
    report.attempts += 1
    if failure is None:
        # A corrected claim sent again reads "resubmitted" until the distributor answers it.
        report.state = ReportState.RESUBMITTED if report.revision else ReportState.SENT
        report.sent_at, report.last_error = now, ""
        return
    report.last_error = failure.message[:2000]
    # Why a report goes again (or never): the Redemption Reports screen shows the last error,
    # the log every one.
    logger.warning("Report %s, try %s: %s", report.pk, report.attempts, report.last_error[:300])
    if failure.permanent:
        report.state = ReportState.FAILED
    else:
        delay = backoff_seconds(report.attempts)
        report.next_attempt_at = now + timedelta(seconds=delay)


def pending_retry_delay(report_id: str) -> float | None:
    """Seconds until a pending report's next try, or None when it is no longer pending."""
    report = DistributorReport.objects.filter(pk=report_id, state=ReportState.PENDING).first()
    if report is None:
        return None
    return max((report.next_attempt_at - timezone.now()).total_seconds(), 0)
