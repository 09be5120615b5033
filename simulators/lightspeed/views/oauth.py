"""The sandbox OAuth endpoints: the consent page and the token endpoint's two grants."""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..models import ACCESS_TOKEN_SECONDS, SandboxAccount, SandboxToken, new_token


def _oauth_error(code: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": code, "error_description": description}, status=status)


def _token_response(token: SandboxToken, **extra: str) -> JsonResponse:
    return JsonResponse(
        {
            "access_token": token.access_token,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "token_type": "bearer",
            "scope": "employee:register_read employee:customers_read employee:inventory_read",
            "refresh_token": token.refresh_token,
            **extra,
        }
    )


def _client_account(request: HttpRequest) -> SandboxAccount | None:
    return SandboxAccount.objects.filter(
        client_id=request.POST.get("client_id", ""),
        client_secret=request.POST.get("client_secret", ""),
    ).first()


@csrf_exempt  # machine clients post form-encoded credentials, no cookies
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    """POST /auth/oauth/token (reference §2.1), form-encoded."""
    account = _client_account(request)
    if account is None:
        return _oauth_error("invalid_client", "Unknown client_id or client_secret.", 401)
    grant_type = request.POST.get("grant_type", "")
    if grant_type == "refresh_token":
        return _refresh(account, request.POST.get("refresh_token", ""))
    if grant_type == "authorization_code":
        return _exchange_code(account, request.POST.get("code", ""))
    return _oauth_error("unsupported_grant_type", f"Unsupported grant_type {grant_type!r}.")


def _refresh(account: SandboxAccount, refresh_token: str) -> JsonResponse:
    # R-Series: each refresh returns a new access and a new refresh token and the old refresh
    # token is revoked (reference §2.1). The sandbox revokes it at once, which is stricter than
    # "once the new access token is first used" and so catches a client that reuses it.
    with transaction.atomic():
        old = (
            SandboxToken.objects.select_for_update()
            .filter(account=account, refresh_token=refresh_token, revoked=False)
            .first()
        )
        if old is None or not refresh_token:
            return _oauth_error("invalid_grant", "The refresh token is invalid or revoked.")
        old.revoked = True
        old.save(update_fields=["revoked"])
        new = SandboxToken.issue(account)
    return _token_response(new)


def _exchange_code(account: SandboxAccount, code: str) -> JsonResponse:
    with transaction.atomic():
        account = SandboxAccount.objects.select_for_update().get(pk=account.pk)
        if not code or code != account.authorization_code:
            return _oauth_error("invalid_grant", "The authorization code is invalid or used.")
        # A code works once.
        account.authorization_code = ""
        account.save(update_fields=["authorization_code"])
        new = SandboxToken.issue(account)
    # Not in real Lightspeed's answer, which has only the standard OAuth fields: there the
    # client asks GET /API/V3/Account.json (reference §2.1). A convenience of the sandbox.
    return _token_response(new, account_id=account.account_id)


# --- The consent page: GET /auth/oauth/authorize (reference §2.1) --------------------------
def _authorize_problem(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "lightspeed_sandbox/authorize.html", {"problem": message}, status=400)


def _is_local_redirect(request: HttpRequest, url: str) -> bool:
    """Real Lightspeed only sends the code to the client's registered redirect URI; the
    sandbox only to this site or a loopback address, so it never leaks a code elsewhere."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or "@" in parts.netloc or not parts.hostname:
        return False
    if parts.hostname == request.get_host().rsplit(":", 1)[0].strip("[]").lower():
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return parts.hostname == "localhost"


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """Lightspeed's "Authorize <app> to access <account>" page; the OAuth parameters stay in the
    query string, and the POST carries only the chosen account and Approve or Deny."""
    if request.GET.get("response_type") != "code":
        return _authorize_problem(request, "response_type must be code.")
    accounts = SandboxAccount.objects.filter(client_id=request.GET.get("client_id", ""))
    if not request.GET.get("client_id") or not accounts.exists():
        return _authorize_problem(request, "No sandbox account has this client_id.")
    redirect_uri = request.GET.get("redirect_uri") or request.build_absolute_uri(
        reverse("lightspeed_callback")
    )
    if not _is_local_redirect(request, redirect_uri):
        return _authorize_problem(request, "redirect_uri is not a loopback or same-site address.")
    if request.method == "GET":
        context = {"accounts": accounts.order_by("name", "account_id"), "params": request.GET}
        return render(request, "lightspeed_sandbox/authorize.html", context)
    state = request.GET.get("state", "")
    if "deny" in request.POST:
        return HttpResponseRedirect(_with_query(redirect_uri, error="access_denied", state=state))
    chosen = request.POST.get("account", "")
    account = accounts.filter(pk=chosen).first() if chosen.isdigit() else None
    if account is None:
        return _authorize_problem(request, "Choose one of the listed accounts.")
    # One pending code per account, spent by the first token request (see _exchange_code).
    account.authorization_code = new_token()
    account.save(update_fields=["authorization_code"])
    return HttpResponseRedirect(
        _with_query(redirect_uri, code=account.authorization_code, state=state)
    )
