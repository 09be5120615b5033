"""Each store's own time zone (issue 13): one global TIME_ZONE put every store's report days
on Chicago's midnight.

A Retailer has a zone and a Location may have its own where it differs; blank means
settings.TIME_ZONE. `StoreTimeZoneMiddleware` activates the zone of the logged-in user's
store (their home location's, else the store's) for the whole request, so every screen,
`timezone.localdate()`, the report day boundaries (selectors/analytics: make_aware and Trunc
use the active zone) and the CSV exports read in the store's local time. API requests get
their key's location zone from the authentication class (integrations/api_v1/auth.py).

The zone's name rides in the session, written at log-in and looked up again at most every
SESSION_IDLE_REFRESH_SECONDS, so a page pays no query for it and a changed zone applies within
minutes.
"""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


@lru_cache(maxsize=1)
def zone_names() -> list[str]:
    """The zones a store may pick, e.g. America/Los_Angeles (IANA names, no legacy aliases)."""
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))
    )


def validate_zone_name(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone; pick one such as America/Chicago.")


@lru_cache(maxsize=256)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def store_zone(retailer, location=None) -> zoneinfo.ZoneInfo:
    """The location's zone if it has one, else the store's, else settings.TIME_ZONE."""
    name = (getattr(location, "time_zone", "") or "") or (getattr(retailer, "time_zone", "") or "")
    return _zone(name or settings.TIME_ZONE)


def activate_store_zone(retailer, location=None) -> None:
    timezone.activate(store_zone(retailer, location))


ZONE = "store_time_zone"
ZONE_AT = "store_time_zone_at"


def remember_store_zone(request: HttpRequest, user) -> str:
    name = store_zone(user.retailer, user.home_location).key
    request.session[ZONE] = name
    request.session[ZONE_AT] = int(time.time())
    return name


def remember_zone_at_login(sender, request: HttpRequest, user, **kwargs) -> None:
    """user_logged_in: the zone is known before the first page."""
    if request is not None and hasattr(request, "session") and user.retailer_id:
        remember_store_zone(request, user)


def _session_zone(request: HttpRequest, user) -> zoneinfo.ZoneInfo:
    name = request.session.get(ZONE)
    age = int(time.time()) - request.session.get(ZONE_AT, 0)
    if not name or age >= settings.SESSION_IDLE_REFRESH_SECONDS:
        name = remember_store_zone(request, user)
    return _zone(name)


class StoreTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.retailer_id:
            timezone.activate(_session_zone(request, user))
        try:
            return self.get_response(request)
        finally:
            # Threads serve other stores next: never leave a zone behind.
            timezone.deactivate()
