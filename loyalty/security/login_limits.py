"""A per-address login limit beside django-axes' per-username-and-address one (issue 13).

Axes locks a username tried too often from one address. A sprayer tries every username once
from one address and never meets that limit; this handler also counts the failures of every
username from the address within the same cool-off (AXES_COOLOFF_TIME) and pauses all log-ins
from it at LOGIN_ADDRESS_FAILURE_LIMIT. The count is axes' own AccessAttempt rows in the
database, so it holds across web processes and needs no cache. A successful log-in clears that
username's failures (AXES_RESET_ON_SUCCESS), so cashiers who mistype now and then never add up.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed log-ins of any username from this request's address within the cool-off."""
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _address_locked(request: HttpRequest) -> bool:
    locked = address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
    # The lockout page says which limit was met (templates/registration/locked_out.html).
    request.login_address_locked = locked
    return locked


class AddressLimitHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or _address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and _address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
