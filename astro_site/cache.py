"""A Redis cache that fails open: when Redis errors, reads miss and writes are dropped (logged).

Nothing a cashier or a POS does may wait on Redis (DESIGN.md): the cache only holds things that
can be rebuilt (the API's per-key request budget), so an outage costs a cache miss, never an
error page. After an error the cache skips Redis for `FAIL_OPEN_SECONDS`, so during an outage
each request pays nothing rather than one socket timeout per cache call.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a dead, refusing or frozen Redis raises (redis-py wraps socket errors; OSError for the
# rest, e.g. a connection reset while reading).
CACHE_ERRORS = (RedisError, OSError)


def _fail_open(method: Callable[..., Any], fallback: Callable[..., Any]) -> Callable[..., Any]:
    """RedisCache's `method`, answering `fallback(*args)` instead when Redis errors."""

    @functools.wraps(method)
    def guarded(self: FailOpenRedisCache, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self._skip_until:
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except CACHE_ERRORS as exc:
            self._skip_until = time.monotonic() + self.fail_open_seconds
            logger.warning(
                "Cache unavailable (%s failed: %s); serving without it for %.0f s.",
                method.__name__,
                exc,
                self.fail_open_seconds,
            )
            return fallback(*args, **kwargs)

    return guarded


def _missing_key(key: Any, *args: Any, **kwargs: Any) -> Any:
    # incr's own answer for a key that is not there: callers already handle it.
    raise ValueError(f"Key '{key}' not found (the cache is unavailable).")


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache, every call answering its "nothing there" value on an error."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.fail_open_seconds = float(params.get("FAIL_OPEN_SECONDS", 5.0))
        self._skip_until = 0.0

    def is_skipping(self) -> bool:
        """True while Redis is being skipped after an error."""
        return time.monotonic() < self._skip_until

    get = _fail_open(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _fail_open(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _fail_open(RedisCache.has_key, lambda *args, **kwargs: False)
    add = _fail_open(RedisCache.add, lambda *args, **kwargs: False)
    set = _fail_open(RedisCache.set, lambda *args, **kwargs: None)
    set_many = _fail_open(RedisCache.set_many, lambda data, *args, **kwargs: list(data))
    touch = _fail_open(RedisCache.touch, lambda *args, **kwargs: False)
    delete = _fail_open(RedisCache.delete, lambda *args, **kwargs: False)
    delete_many = _fail_open(RedisCache.delete_many, lambda *args, **kwargs: None)
    incr = _fail_open(RedisCache.incr, _missing_key)
    clear = _fail_open(RedisCache.clear, lambda *args, **kwargs: False)
