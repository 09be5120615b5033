"""The sandbox OAuth token endpoint: authorization_code and rotating refresh_token grants."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import ACCESS_TOKEN_SECONDS, SandboxAccount, SandboxToken


def _oauth_error(code: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": code, "error_description": description}, status=status)


def _token_response(token: SandboxToken) -> JsonResponse:
    return JsonResponse(
        {
            "access_token": token.access_token,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "token_type": "bearer",
            "scope": "employee:register_read employee:customers_read employee:inventory_read",
            "refresh_token": token.refresh_token,
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
    return _token_response(new)
