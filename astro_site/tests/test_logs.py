"""Log lines an operator can search: time, level, request id, JSON in production."""

import json
import logging
import sys

import pytest
from kombu import Connection

from astro_site.logs import TASK_HEADER, JsonFormatter, RequestIdFilter, request_id
from loyalty.tasks import send_report_task


def formatted(record: logging.LogRecord) -> dict:
    RequestIdFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def record(message: str, *args, level=logging.WARNING, **extra) -> logging.LogRecord:
    entry = logging.LogRecord("loyalty.test", level, __file__, 1, message, args, None)
    entry.__dict__.update(extra)
    return entry


def test_a_json_line_has_time_level_logger_message_and_request_id():
    token = request_id.set("req-123")
    try:
        line = formatted(record("Report %s not queued", "r-1", report_id="r-1"))
    finally:
        request_id.reset(token)
    assert line["level"] == "WARNING" and line["logger"] == "loyalty.test"
    assert line["message"] == "Report r-1 not queued"
    assert line["request_id"] == "req-123" and line["report_id"] == "r-1"
    assert line["time"].endswith("+00:00") and "T" in line["time"]


def test_an_exception_is_one_json_line_with_its_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        entry = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    text = JsonFormatter().format(entry)
    assert "\n" not in text and "RuntimeError: boom" in json.loads(text)["exception"]


@pytest.mark.django_db
def test_the_request_id_comes_in_and_goes_back_out(client):
    response = client.get("/login/", HTTP_X_REQUEST_ID="lb-4f2a")
    assert response["X-Request-ID"] == "lb-4f2a"
    made = client.get("/login/")["X-Request-ID"]
    assert len(made) == 32 and made != "lb-4f2a"


@pytest.mark.django_db
def test_a_forged_request_id_is_replaced(client):
    response = client.get("/login/", HTTP_X_REQUEST_ID='x"\n{"level": "ERROR"}')
    assert len(response["X-Request-ID"]) == 32 and "\n" not in response["X-Request-ID"]


def test_a_task_published_during_a_request_carries_its_id_in_the_message_header():
    conf = send_report_task.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False  # publish, do not run
    token = request_id.set("req-777")
    try:
        with Connection("memory://") as connection:
            send_report_task.apply_async(("r-1",), connection=connection)
            queue = connection.SimpleQueue("celery")
            message = queue.get(timeout=5)
            queue.close()
    finally:
        request_id.reset(token)
        conf.task_always_eager = eager
    assert message.headers[TASK_HEADER] == "req-777"
    assert message.headers["task"] == "loyalty.tasks.send_report_task"
