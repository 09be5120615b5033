"""Error answers a cashier can act on."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

STALE_PAGE = "This page is out of date (its security token expired). Reload the page and try again."


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale CSRF token: ask to reload instead of Django's technical 403 page."""
    if request.headers.get("HX-Request"):
        # checkout.js shows this text in the page's alert bar.
        return HttpResponse(STALE_PAGE, status=403, content_type="text/plain")
    return render(request, "403.html", {"message": STALE_PAGE}, status=403)
