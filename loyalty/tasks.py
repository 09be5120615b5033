"""Celery tasks: thin shells over services, taking ids (DESIGN.md §6)."""

import time

from celery import shared_task

from loyalty.services.card_windows import expire_overdue_cards
from loyalty.services.distributor_reports import sending as reports
from loyalty.services.reconcile import reconcile_all

# A catch-up run stops after this many sends, or after this many seconds (half the task's soft
# time limit: a busy machine sends slower), and queues the next run, so one run stays well
# inside the time limit however large the backlog. A run cut by the limit would roll back
# sends the receiver already has; they would go again and be refused as repeats.
CATCH_UP_BATCH = 500
CATCH_UP_SECONDS = 30.0
# After this many quick retries the beat's catch-up sweep takes over (it never gives up).
MAX_QUICK_RETRIES = 8


@shared_task(bind=True, max_retries=MAX_QUICK_RETRIES)
def send_report_task(self, report_id: str) -> str:
    """Send one report right after its redemption committed; retry transient failures."""
    state = reports.send_report(report_id)
    delay = reports.pending_retry_delay(report_id) if state == "pending" else None
    # In-process mode (no broker) never waits inside a web request: the catch-up retries.
    if delay is not None and not self.request.is_eager and self.request.retries < self.max_retries:
        raise self.retry(countdown=delay)
    return state


def queue_report_send(report_id: str) -> None:
    """settings.DISTRIBUTOR_REPORT_QUEUE: the outbox calls this after its commit, inside the
    cashier's or the POS's request. One try and no retry loop: the broker's socket timeouts
    bound it, and a report that was not queued is sent by the catch-up (SPEC §6)."""
    send_report_task.apply_async((report_id,), retry=False)


@shared_task
def send_due_reports_task() -> int:
    """The scheduled catch-up send (SPEC §6): everything still pending, oldest first."""
    started = time.monotonic()
    sent = reports.send_due_reports(limit=CATCH_UP_BATCH, seconds=CATCH_UP_SECONDS)
    if sent == CATCH_UP_BATCH or (sent and time.monotonic() - started >= CATCH_UP_SECONDS):
        send_due_reports_task.delay()
    return sent


@shared_task
def reconcile_books_task() -> dict[int, int]:
    """The nightly reconcile of every retailer; each result is kept for the admin's screen."""
    return reconcile_all(trigger="nightly")


@shared_task
def expire_cards_task() -> int:
    """Card windows: the sweep closing every open card past its window."""
    return expire_overdue_cards()


@shared_task
def send_owner_messages_task(owner_id: int) -> int:
    """Send an owner's due messages after the punches behind them committed (SPEC §8). A retry
    or a second run sends nothing new: each row is claimed once."""
    from loyalty.services.messages.sending import send_owner_messages

    return send_owner_messages(owner_id)


def queue_owner_messages(owner_id: int) -> None:
    """settings.OWNER_MESSAGE_QUEUE: one try, no retry loop; the sweep sends what was not queued."""
    send_owner_messages_task.apply_async((owner_id,), retry=False)


@shared_task
def send_due_messages_task() -> int:
    """The beat's sweep: messages that waited for quiet hours, a retry or a lost task."""
    from loyalty.services.messages.sending import send_due_messages

    return send_due_messages()
