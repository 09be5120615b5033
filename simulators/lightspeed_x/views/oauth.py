"""The sandbox's OAuth: the consent page (secure.retail.lightspeed.app/connect) and each store's
token endpoint (/api/1.0/token), with refresh tokens that rotate (changelog 2025-03)."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..models import ACCESS_TOKEN_SECONDS, SandboxStore, SandboxToken
from .common import store_for


@require_http_methods(["GET", "POST"])
def connect(request: HttpRequest) -> HttpResponse:
    """Approve or Deny; back to redirect_uri with code, domain_prefix and state."""
    params = request.POST if request.method == "POST" else request.GET
    redirect_uri = params.get("redirect_uri", "")
    if not redirect_uri.startswith(("http://", "https://")):
        return HttpResponse("redirect_uri is missing.", status=400, content_type="text/plain")
    stores = list(SandboxStore.objects.order_by("pk"))
    if request.method == "GET":
        context = {"stores": stores, "params": params}
        return render(request, "lightspeed_x_sandbox/connect.html", context)
    answer = {"state": params.get("state", "")}
    store = next((s for s in stores if s.domain_prefix == params.get("store")), None)
    if "approve" in request.POST and store is not None:
        store.authorization_code = secrets.token_urlsafe(24)
        store.save(update_fields=["authorization_code"])
        answer |= {"code": store.authorization_code, "domain_prefix": store.domain_prefix}
    else:
        answer |= {"error": "access_denied"}
    separator = "&" if "?" in redirect_uri else "?"
    return HttpResponseRedirect(f"{redirect_uri}{separator}{urlencode(answer)}")


def _invalid(message: str = "invalid_grant") -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@csrf_exempt
@require_POST
def token(request: HttpRequest, domain_prefix: str) -> JsonResponse:
    """grant_type authorization_code (one use) or refresh_token (the old one is revoked)."""
    store = store_for(domain_prefix)
    form = request.POST
    if not (
        secrets.compare_digest(form.get("client_id", ""), store.client_id)
        and secrets.compare_digest(form.get("client_secret", ""), store.client_secret)
    ):
        return _invalid("invalid_client")
    grant = form.get("grant_type")
    if grant == "authorization_code":
        code = form.get("code", "")
        if not store.authorization_code or not secrets.compare_digest(
            code, store.authorization_code
        ):
            return _invalid()
        SandboxStore.objects.filter(pk=store.pk).update(authorization_code="")
    elif grant == "refresh_token":
        spent = SandboxToken.objects.filter(
            store=store, refresh_token=form.get("refresh_token", ""), revoked=False
        ).update(revoked=True)
        if not spent:
            return _invalid()
    else:
        return _invalid("unsupported_grant_type")
    issued = SandboxToken.issue(store)
    return JsonResponse(
        {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires": int(issued.expires_at.timestamp()),
            "expires_in": ACCESS_TOKEN_SECONDS,
            "refresh_token": issued.refresh_token,
            "domain_prefix": store.domain_prefix,
            "scope": "",
        }
    )
