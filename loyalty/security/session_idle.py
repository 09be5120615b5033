"""Log a shared register out after SESSION_IDLE_TIMEOUT without a request (issue 13).

Sessions used to last 14 days whatever happened; a register left logged in overnight was
anyone's. The session remembers when it was last used; past the timeout the user is logged out
and sent to the login page, which comes back to the page asked for. The time is written at
most every SESSION_IDLE_REFRESH_SECONDS, so a busy register does not save its session on
every click; SESSION_COOKIE_AGE equals the timeout, so the cookie and the stored session run
out with it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect

LAST_SEEN = "idle_last_seen"


def start_idle_clock(sender, request: HttpRequest, user, **kwargs) -> None:
    """On log-in (user_logged_in), so the first page after it need not save the session."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        seen = request.session.get(LAST_SEEN)
        if seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT:
            return self._logged_out(request)
        if seen is None or now - seen >= settings.SESSION_IDLE_REFRESH_SECONDS:
            request.session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _logged_out(request: HttpRequest) -> HttpResponse:
        hours = settings.SESSION_IDLE_TIMEOUT / 3600
        logout(request)
        messages.info(
            request,
            f"You were logged out after {hours:g} hours without activity. Log in to go on.",
        )
        login = redirect_to_login(request.get_full_path())
        if request.headers.get("HX-Request") == "true":  # HtmxMiddleware runs after this one
            # An htmx click would swap the login page into a region: load it as a page.
            return HttpResponseClientRedirect(login.url)
        return login
