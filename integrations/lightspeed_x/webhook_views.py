"""Lightspeed's sale.update webhook (docs/webhooks): a hint that a sale changed, never data.

X-Series POSTs form fields with `payload`, the sale as JSON (docs/webhooks: "can't guarantee
they'll be delivered", 5 s to answer). Astro reads only the sale's id from it and, for a sale it
is still waiting for, queues a fetch of the sale from the API; the fetch decides everything.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .connection import retailer_for_webhook
from .shapes import UUID
from .tasks import queue_confirmation
from .waiting import waiting_sale_for


@csrf_exempt  # a machine caller with the secret key in its URL, no cookies
@require_POST
def sale_update(request: HttpRequest, key: str) -> JsonResponse:
    retailer = retailer_for_webhook(key)
    if retailer is None:
        return JsonResponse({"error": "No store has this webhook address."}, status=404)
    if request.POST.get("type", "sale.update") != "sale.update":
        return JsonResponse({"ok": True, "queued": False})
    sale_id = _sale_id(request.POST.get("payload", ""))
    if sale_id is None:
        return JsonResponse(
            {"error": "The payload field must be the sale as a JSON object with its id."},
            status=400,
        )
    waiting_id = waiting_sale_for(retailer_id=retailer.pk, sale_id=sale_id)
    if waiting_id is not None:
        queue_confirmation(waiting_id)
    return JsonResponse({"ok": True, "queued": waiting_id is not None})


def _sale_id(payload: str) -> str | None:
    try:
        sale = json.loads(payload) if len(payload) < 1_000_000 else None
    except ValueError:
        return None
    sale_id = sale.get("id") if isinstance(sale, dict) else None
    return sale_id.lower() if isinstance(sale_id, str) and UUID.match(sale_id) else None
