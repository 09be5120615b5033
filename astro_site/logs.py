"""Logs an operator can search: time, level, logger, message and the request id of each line.

A request id comes in with the request (`X-Request-ID`, from the load balancer) or is made here,
goes back out on the response, rides along in the header of every Celery task the request
publishes, and is put on every log line written while the request or the task runs, so one
redemption can be followed from the cashier's click to the distributor's answer.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from celery import signals
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# Celery message header carrying the id from the publisher to the worker.
TASK_HEADER = "request_id"
# An id from outside is kept only if it is short and plain, so it cannot forge log lines.
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

request_id: ContextVar[str] = ContextVar("request_id", default="")
task_context: ContextVar[tuple[tuple[str, str], ...]] = ContextVar("task_context", default=())


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str:
    """The caller's id if it is a sensible one, else a fresh one."""
    return value if value and _ACCEPTED_ID.match(value) else new_request_id()


class RequestIdMiddleware:
    """First in MIDDLEWARE: every later line of the request's logs carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
        # Kept until the request is finished (below): Django logs a 4xx/5xx answer after the
        # middleware returned it, and that line should carry the id too.
        request_id.set(rid)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = rid
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs: Any) -> None:
    request_id.set("")


class RequestIdFilter(logging.Filter):
    """Puts the current request id (and Celery task, in a worker) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        for name, value in task_context.get():
            setattr(record, name, value)
        return True


# What a LogRecord has of its own; anything else on it came as `extra=` and is logged too.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name, value in vars(record).items():
            if name not in _RECORD_FIELDS and not name.startswith("_"):
                entry[name] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


# --- Celery: the id in the message header out, back into the context in the worker. ---------


@signals.before_task_publish.connect
def _add_request_id_header(headers: dict | None = None, **kwargs: Any) -> None:
    rid = request_id.get()
    if rid and headers is not None:
        headers.setdefault(TASK_HEADER, rid)


@signals.task_prerun.connect
def _enter_task(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    rid = getattr(task.request, TASK_HEADER, None) if task is not None else None
    # A beat-scheduled task has no request: it gets an id of its own.
    request_id.set(accepted_request_id(rid))
    task_context.set((("task_id", task_id), ("task_name", getattr(task, "name", ""))))


@signals.task_postrun.connect
def _leave_task(**kwargs: Any) -> None:
    request_id.set("")
    task_context.set(())


@signals.setup_logging.connect
def _keep_django_logging(loglevel: int | str | None = None, **kwargs: Any) -> None:
    """Celery would swap Django's LOGGING handlers for its own format: keep ours (JSON in
    production), at the level the worker or beat was started with."""
    if loglevel:
        logging.getLogger().setLevel(loglevel)
