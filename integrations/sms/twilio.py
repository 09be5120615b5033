"""Twilio's Programmable Messaging REST API over httpx (no SDK): send, and the signed webhook
of inbound texts (STOP)."""

from __future__ import annotations

import base64
import hashlib
import hmac

import httpx
from django.conf import settings

from loyalty.contracts.messages import InboundSms, SmsError

TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class TwilioSmsBackend:
    def __init__(self) -> None:
        self.sid = settings.TWILIO_ACCOUNT_SID
        self.token = settings.TWILIO_AUTH_TOKEN
        self.sender = settings.TWILIO_FROM_NUMBER
        self.base = settings.TWILIO_API_BASE.rstrip("/")

    def send(self, *, to: str, body: str) -> str:
        url = f"{self.base}/2010-04-01/Accounts/{self.sid}/Messages.json"
        try:
            response = httpx.post(
                url,
                data={"To": to, "From": self.sender, "Body": body},
                auth=(self.sid, self.token),
                timeout=TIMEOUT,
            )
        except httpx.HTTPError as exc:  # refused, reset, DNS, timeouts: worth a retry
            raise SmsError(f"Twilio could not be reached: {exc}", permanent=False) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise SmsError(f"Twilio answered {response.status_code}.", permanent=False)
        if response.status_code >= 400:
            detail = _json(response).get("message", "")
            raise SmsError(f"Twilio refused the text: {detail}", permanent=True)
        return str(_json(response).get("sid", ""))

    def parse_inbound(
        self, *, url: str, params: dict[str, str], signature: str
    ) -> InboundSms | None:
        """Twilio signs the full URL followed by each POST parameter, sorted, as HMAC-SHA1."""
        payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
        digest = hmac.new(self.token.encode(), payload.encode(), hashlib.sha1).digest()
        if not hmac.compare_digest(base64.b64encode(digest).decode(), signature):
            return None
        return InboundSms(sender=params.get("From", ""), body=params.get("Body", ""))


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
