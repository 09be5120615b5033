"""Who is calling: `Authorization: Api-Key <key>` or HTTP Basic (username + key); per-key limits."""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions, throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

from loyalty.contracts.registry import is_full_integration
from loyalty.models import Location, Retailer
from loyalty.time_zones import activate_store_zone

from . import key_limits, request_budget
from .credentials import find_credential
from .models import ApiCredential

logger = logging.getLogger(__name__)

# last_used_at is for the admin screen; writing it once a minute is plenty.
LAST_USED_EVERY = timedelta(minutes=1)
WRONG_KEY = (
    "The API key is not valid or was revoked. Check the key, or ask the store's Astro admin "
    "for a new one under Settings → POS API."
)


@dataclass(frozen=True)
class ApiClient:
    """The POS calling for one location of one retailer; request.user in API views."""

    credential: ApiCredential

    is_authenticated = True
    is_anonymous = False

    @property
    def retailer(self) -> Retailer:
        return self.credential.retailer

    @property
    def retailer_id(self) -> int:  # what loyalty.access scopes every look-up by
        return self.credential.retailer_id

    @property
    def location(self) -> Location:
        return self.credential.location

    @property
    def pk(self) -> None:  # never a login: nothing may treat the POS as a user row
        return None


def _wrong(request: Request, message: str) -> exceptions.AuthenticationFailed:
    """A refused credential, counted against the caller's address (key_limits)."""
    key_limits.count_wrong_key(request)
    return exceptions.AuthenticationFailed(message)


def _authenticated(
    request: Request, credential: ApiCredential | None
) -> tuple[ApiClient, ApiCredential]:
    if credential is None or not credential.is_active:
        raise _wrong(request, WRONG_KEY)
    if not is_full_integration(credential.retailer.pos_integration):
        # SPEC §1: one integration at a time; the store has switched to another one.
        raise exceptions.AuthenticationFailed(
            "The POS API is turned off for this store. Its Astro admin can turn it on again "
            "under Settings → POS API."
        )
    # The answers' times and a late sale's day read in the location's own zone (issue 13).
    activate_store_zone(credential.retailer, credential.location)
    now = timezone.now()
    if credential.last_used_at is None or now - credential.last_used_at > LAST_USED_EVERY:
        ApiCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
    return ApiClient(credential), credential


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request: Request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        key_limits.refuse_if_over_limit(request)
        if not key.strip():
            raise _wrong(request, "Put the API key after 'Api-Key '.")
        return _authenticated(request, find_credential(key.strip()))

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class BasicApiKeyAuthentication(authentication.BaseAuthentication):
    """Many POS systems only do Basic: the API username and the key as the password."""

    def authenticate(self, request: Request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"basic":
            return None
        key_limits.refuse_if_over_limit(request)
        try:
            decoded = base64.b64decode(header[1], validate=True).decode("utf-8")
        except (IndexError, binascii.Error, UnicodeDecodeError):
            raise _wrong(
                request, "The Basic credentials are not valid base64 of 'username:key'."
            ) from None
        username, colon, key = decoded.partition(":")
        if not colon:
            raise _wrong(request, "Send Basic credentials as 'username:key'.")
        return _authenticated(request, find_credential(key, username=username))

    def authenticate_header(self, request: Request) -> str:
        return 'Basic realm="Astro Loyalty API"'


class ApiKeyThrottle(throttling.SimpleRateThrottle):
    """A request budget per key (API_KEY_RATE), so one runaway POS cannot slow the others."""

    scope = "api_key"
    # Counts per step of the window (`request_budget`), not DRF's list of request times.
    cache_format = "throttle_%(scope)s_steps_%(ident)s"

    def get_rate(self) -> str | None:
        # Read at request time so a settings change (tests, a deploy) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request: Request, view) -> bool:
        # The budget lives in the cache (Redis in production). A cache that errors must not
        # turn the POS away: the request goes through unthrottled and the outage is logged.
        try:
            return self._allow(request, view)
        except Exception:
            logger.warning("API throttle skipped: the cache is unavailable.", exc_info=True)
            return True

    def _allow(self, request: Request, view) -> bool:
        """SimpleRateThrottle.allow_request, the history kept as counts per step."""
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        step = request_budget.step_of(self.now, self.duration)
        self.history = request_budget.in_window(self.cache.get(self.key, []), step=step)
        if request_budget.counted(self.history) >= self.num_requests:
            return self.throttle_failure()
        history = request_budget.with_request(self.history, step)
        self.cache.set(self.key, history, request_budget.kept_for(self.duration))
        return True

    def wait(self) -> float | None:
        return request_budget.wait_seconds(
            self.history, now=self.now, duration=self.duration, budget=self.num_requests
        )

    def get_cache_key(self, request: Request, view) -> str | None:
        if not isinstance(request.user, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.credential.pk}
