"""The cache and the API's request budget with Redis gone or frozen: a miss, a log line, no
error and no wait beyond the socket timeout (production's cache, a Redis of the test's own)."""

import logging
import shutil
import time

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from astro_site.cache import FailOpenRedisCache
from integrations.api_v1.credentials import issue_key
from integrations.api_v1.tests.conftest import ApiCaller

from .servers import RedisServer

REDIS_PORT = 16392
pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(REDIS_PORT, tmp_path / "redis.log")
    server.start()
    yield server
    server.kill()


def production_cache(url: str, **extra) -> FailOpenRedisCache:
    params = {"OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}} | extra
    return FailOpenRedisCache(url, params)


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_a_killed_redis_is_a_cache_miss_logged_once_then_skipped(redis_server, caplog):
    cache = production_cache(redis_server.url)
    cache.set("budget", [1, 2, 3])
    assert cache.get("budget") == [1, 2, 3]
    redis_server.kill()
    with caplog.at_level(logging.WARNING, logger="astro_site.cache"):
        value, seconds = timed(lambda: cache.get("budget", "missing"))
        assert cache.set("budget", [4]) is None and cache.add("other", 1) is False
        assert cache.get_many(["budget"]) == {} and cache.has_key("budget") is False
    assert value == "missing" and seconds < 0.5
    assert len(caplog.records) == 1  # then skipped for FAIL_OPEN_SECONDS, not asked again
    assert "Cache unavailable (get failed" in caplog.records[0].getMessage()
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")  # what incr says of a key it does not have


def test_a_frozen_redis_costs_one_socket_timeout_then_nothing(redis_server):
    cache = production_cache(redis_server.url, FAIL_OPEN_SECONDS=1)
    cache.set("budget", [1])
    redis_server.freeze()
    try:
        first, first_seconds = timed(lambda: cache.get("budget"))
        second, second_seconds = timed(lambda: cache.get("budget"))
    finally:
        redis_server.thaw()
    assert first is None and second is None
    assert 0.4 < first_seconds < 1.0 and second_seconds < 0.05
    time.sleep(1.1)  # the skip is over: Redis is asked again and answers
    assert cache.get("budget") == [1]


@pytest.mark.django_db
def test_the_api_throttle_lets_the_pos_through_when_the_cache_errors(retailer, location, caplog):
    retailer.pos_integration = "pinogy"
    retailer.save()
    api = ApiCaller(Client(), issue_key(location=location, actor=None).key)
    # Django's own Redis cache, which raises, at a port where nothing listens: the throttle
    # itself must fail open too, whatever cache is configured.
    dead = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=dead), caplog.at_level(logging.WARNING):
        assert type(caches["default"]).__name__ == "RedisCache"
        response = api.get("/api/v1/product-filter/")
    assert response.status_code == 200, response.content
    assert any("API throttle skipped" in r.getMessage() for r in caplog.records)
