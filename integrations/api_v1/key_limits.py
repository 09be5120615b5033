"""A limit on wrong API keys per address (issue 13: wrong keys were never throttled).

A key has 256 random bits, so guessing one is hopeless; what this stops is a caller hammering
the key look-up (and our logs) with guesses, and it tells a POS stuck on an old key to stop.
Failures are counted in the cache per address in a fixed window; an address at
API_BAD_KEY_LIMIT is answered 429 before any key is looked up, even a right one, until the
window ends. When the cache is down the limit is skipped (logged), never the request: a POS
with a good key must still be served (DESIGN.md: nothing on a request path waits on Redis).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.request import Request

from loyalty.security.client_address import client_address

logger = logging.getLogger(__name__)


class TooManyWrongKeys(exceptions.Throttled):
    """429 with the API's error shape; `message` is what the POS's log should say."""

    def __init__(self, wait: int) -> None:
        super().__init__(wait=wait)
        self.message = (
            f"Too many wrong API keys from this address. Wait {wait} seconds, then send the "
            "store's current key (Settings → POS API)."
        )


def _cache_key(request: Request) -> str:
    return f"api-bad-key:{client_address(request)}"


def refuse_if_over_limit(request: Request) -> None:
    try:
        failures = cache.get(_cache_key(request), 0)
    except Exception:  # noqa: BLE001 - any cache failure: serve the request, say so in the log
        logger.warning("Wrong-key limit skipped: the cache did not answer", exc_info=True)
        return
    if failures >= settings.API_BAD_KEY_LIMIT:
        raise TooManyWrongKeys(wait=int(settings.API_BAD_KEY_WINDOW_SECONDS))


def count_wrong_key(request: Request) -> None:
    key = _cache_key(request)
    try:
        # add() starts the window only if it is not running; incr() counts within it.
        cache.add(key, 0, timeout=settings.API_BAD_KEY_WINDOW_SECONDS)
        cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=settings.API_BAD_KEY_WINDOW_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("Wrong API key not counted: the cache did not answer", exc_info=True)
