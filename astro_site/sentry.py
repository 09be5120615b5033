"""Error tracking, off unless SENTRY_DSN is set: errors of web, worker and beat go to Sentry
with every token, key and secret scrubbed before the event leaves the process."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

# Names our code gives secrets (Lightspeed tokens, distributor signing secrets, API keys), on
# top of Sentry's own list (password, secret, token, authorization, cookies, ...). Matched
# against variable names, headers, form fields and extra data, case-insensitively.
ASTRO_DENYLIST = [
    "access_token",
    "refresh_token",
    "tokens",
    "signing_secret",
    "client_secret",
    "secret_key",
    "key",
    "raw_key",
    "api_key_hash",
    "hashed_key",
    "x_astro_signature",
    "x-astro-signature",
    "signature",
    "http_authorization",
    "database_url",
    "redis_url",
    "email_url",
    "email_host_password",
    "sentry_dsn",
]


def init_sentry(dsn: str, *, environment: str = "production", release: str = "") -> bool:
    """Start the SDK when a DSN is given; returns whether it is on."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No user names, addresses or IPs: pet owners' and cashiers' data stays here.
        send_default_pii=False,
        event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + ASTRO_DENYLIST, recursive=True),
        before_send=_drop_request_body,
        traces_sample_rate=0.0,
    )
    return True


def _drop_request_body(event: Any, hint: dict[str, Any]) -> Any:
    """A POS's or a form's body can carry owner details and keys: never send it."""
    request = event.get("request")
    if isinstance(request, dict) and "data" in request:
        request["data"] = "[Filtered]"
    return event
