"""What the domain needs of an SMS provider: send one text, read an inbound one (STOP)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .pos import IntegrationError


class SmsError(IntegrationError):
    """The text was not accepted; `permanent` says whether a retry can help (a bad number)."""

    default_message = "The text message could not be sent."

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class InboundSms:
    sender: str
    body: str


class SmsBackend(Protocol):
    """settings.SMS_BACKEND names the class (like Django's EMAIL_BACKEND)."""

    def send(self, *, to: str, body: str) -> str:
        """Send one text; the provider's id of it. Raises SmsError."""
        ...

    def parse_inbound(
        self, *, url: str, params: dict[str, str], signature: str
    ) -> InboundSms | None:
        """A provider's inbound-text webhook, or None when it is not genuinely the provider's."""
        ...


@lru_cache(maxsize=4)
def _backend_class(path: str) -> type:
    return import_string(path)


def sms_backend() -> SmsBackend:
    return _backend_class(settings.SMS_BACKEND)()
