"""Probes for the load balancer and the orchestrator: /healthz (alive) and /readyz (ready).

Answered by a middleware placed before the host check and the HTTPS redirect: a probe comes
over plain HTTP from an address, not from a browser at the site's own name. /healthz touches
nothing (the process answers, so it is alive); /readyz checks the database, Redis and how old
the oldest unsent distributor report is (READY_MAX_REPORT_AGE_SECONDS).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from loyalty.selectors.health import oldest_pending_report_at

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"
Check = dict[str, Any]


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


@cache
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )


def check_redis() -> Check:
    if not settings.REDIS_URL:
        return {"ok": True, "detail": "not used: tasks run in-process or on the folder broker"}
    _redis_client(settings.REDIS_URL).ping()
    return {"ok": True}


def check_reports() -> Check:
    oldest = oldest_pending_report_at()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    limit = settings.READY_MAX_REPORT_AGE_SECONDS
    return {"ok": age <= limit, "oldest_pending_seconds": round(age), "limit_seconds": limit}


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "redis": check_redis,
    "reports": check_reports,
}


def _run(check: Callable[[], Check]) -> Check:
    started = time.monotonic()
    try:
        result = check()
    except Exception as exc:  # a probe says what failed; it never answers 500
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return result | {"ms": round((time.monotonic() - started) * 1000, 1)}


def readiness() -> tuple[bool, dict[str, Check]]:
    results: dict[str, Check] = {}
    for name, check in CHECKS.items():
        if name == "reports" and not results["database"]["ok"]:
            results[name] = {"ok": False, "error": "skipped: the database is unavailable"}
            continue
        results[name] = _run(check)
    return all(result["ok"] for result in results.values()), results


def _answer(body: dict[str, Any], status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/")
        if request.method not in ("GET", "HEAD") or path not in (LIVENESS_PATH, READINESS_PATH):
            return self.get_response(request)
        if path == LIVENESS_PATH:
            return _answer({"status": "ok"}, 200)
        ready, checks = readiness()
        status = "ok" if ready else "unavailable"
        return _answer({"status": status, "checks": checks}, 200 if ready else 503)
