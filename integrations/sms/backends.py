"""The SMS backends that send nothing: console (the demo) and locmem (tests read `outbox`)."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from loyalty.contracts.messages import InboundSms

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str


# Every text the locmem backend "sent", in order; a test clears it (like mail.outbox).
outbox: list[SentSms] = []


class _Unsigned:
    """Inbound texts need no signature: nothing real can reach the demo's or a test's webhook."""

    def parse_inbound(
        self, *, url: str, params: dict[str, str], signature: str
    ) -> InboundSms | None:
        sender = params.get("From", "")
        return InboundSms(sender=sender, body=params.get("Body", "")) if sender else None


class LocmemSmsBackend(_Unsigned):
    def send(self, *, to: str, body: str) -> str:
        outbox.append(SentSms(to=to, body=body))
        return f"locmem-{len(outbox)}"


class ConsoleSmsBackend(_Unsigned):
    def send(self, *, to: str, body: str) -> str:
        sys.stdout.write(f"SMS to {to}: {body}\n")
        sys.stdout.flush()
        return "console"
