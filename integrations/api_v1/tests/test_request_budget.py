"""The per-key request budget counted per step of its window (SPEC §9): the same budget as
DRF's list of request times, a history of at most 61 pairs whatever the rate."""

import pytest
from django.core.cache import cache

from integrations.api_v1 import request_budget
from integrations.api_v1.auth import ApiKeyThrottle

PATH = "/api/v1/customers/?email=nobody@example.com"
START = 1_800_000_000.0  # a step boundary of a one-minute window


@pytest.fixture
def clock(monkeypatch):
    now = [START]
    monkeypatch.setattr(ApiKeyThrottle, "timer", lambda self: now[0])
    return now


def rate(settings, value: str) -> None:
    rates = {"api_key": value}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_a_request_counts_for_a_whole_window_and_then_stops_counting(settings, api, clock):
    rate(settings, "3/min")
    assert [api.get(PATH).status_code for _ in range(3)] == [200, 200, 200]
    clock[0] = START + 59.9
    refused = api.get(PATH)
    assert refused.status_code == 429
    assert refused.json()["retry_after_seconds"] >= 1
    clock[0] = START + 61.0  # past the window and its step
    assert api.get(PATH).status_code == 200


def test_the_history_stays_small_however_many_requests(settings, api, issued, clock):
    rate(settings, "100000/min")
    for n in range(300):
        clock[0] = START + n * 0.5  # 300 requests over 150 s
        assert api.get(PATH).status_code == 200
    key = ApiKeyThrottle.cache_format % {"scope": "api_key", "ident": issued.credential.pk}
    history = cache.get(key)
    assert len(history) <= request_budget.STEPS + 1
    assert request_budget.counted(history) == 122  # the last 61 steps, 2 requests each


def test_the_wait_is_spread_over_what_the_budget_has_left():
    history = [(100, 2), (130, 1)]
    at = 130 * 1.0  # one-minute window: a step is a second
    wait = request_budget.wait_seconds(history, now=at, duration=60, budget=3)
    assert wait == pytest.approx((161 - 130) / 1)
    assert request_budget.wait_seconds([], now=at, duration=60, budget=3) == pytest.approx(15)
    assert request_budget.wait_seconds(history, now=at, duration=60, budget=1) is None
