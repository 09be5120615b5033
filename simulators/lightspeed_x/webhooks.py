"""The sandbox sends the store's sale.update webhook (docs/webhooks): form fields `payload` (the
sale as JSON), `type`, `domain_prefix`, POSTed after the change committed, 5 s to answer."""

from __future__ import annotations

import json
from functools import partial

import httpx
from django.db import transaction

from .models import SandboxSale, SandboxStore
from .shapes import webhook_payload

TIMEOUT = httpx.Timeout(5.0)


def notify_sale_update(sale: SandboxSale) -> None:
    if sale.saved and sale.store.webhook_url:
        form = {
            "type": "sale.update",
            "domain_prefix": sale.store.domain_prefix,
            "environment": "sandbox",
            "payload": json.dumps(webhook_payload(sale)),
        }
        transaction.on_commit(partial(_post, sale.store_id, sale.store.webhook_url, form))


def _post(store_id: int, url: str, form: dict[str, str]) -> None:
    try:
        status = f"HTTP {httpx.post(url, data=form, timeout=TIMEOUT).status_code}"
    except httpx.HTTPError as exc:
        status = f"not delivered: {type(exc).__name__}"
    SandboxStore.objects.filter(pk=store_id).update(last_webhook=status[:200])
