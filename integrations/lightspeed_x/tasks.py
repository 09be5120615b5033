"""Celery tasks of the X-Series integration: thin shells over waiting.py (DESIGN.md §6)."""

from __future__ import annotations

import logging
from functools import partial

from celery import shared_task
from django.db import transaction

from .waiting import confirm_waiting_sale, due_waiting_sales

logger = logging.getLogger(__name__)


@shared_task
def confirm_waiting_sale_task(waiting_id: int) -> str:
    return confirm_waiting_sale(waiting_id)


@shared_task
def confirm_waiting_sales_task() -> int:
    """The catch-up sweep (beat): webhooks "can't be guaranteed" (docs/webhooks), so Astro
    asks about every waiting sale itself now and then."""
    due = due_waiting_sales()
    for waiting_id in due:
        confirm_waiting_sale(waiting_id)
    return len(due)


def queue_confirmation(waiting_id: int) -> None:
    """After commit, best effort: the sweep asks later if the broker is down (SPEC §9)."""
    transaction.on_commit(partial(_publish, waiting_id))


def _publish(waiting_id: int) -> None:
    try:
        confirm_waiting_sale_task.delay(waiting_id)
    except Exception:  # noqa: BLE001 - any broker error; the sweep holds the promise
        logger.warning("X-Series sale %s not queued; the sweep will ask.", waiting_id)
