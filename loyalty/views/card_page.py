"""The pet owner's private card page (no login, SPEC §8), the staff's New link / Turn off link
actions on the owner's page, and the admin's store logo for the page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from loyalty.access import admin_required, get_owner_by_card_link, get_owner_for, retailer_required
from loyalty.forms.store import StoreLogoForm
from loyalty.presentation.qr import qr_svg
from loyalty.selectors.card_page import card_page as card_page_context
from loyalty.services.card_page import revoke_card_link, rotate_card_link
from loyalty.services.store_settings import save_store_logo


@never_cache  # private, no-store: a shared computer or a proxy keeps no copy
@require_safe
def card_page(request: HttpRequest, token: str) -> HttpResponse:
    """Reads only: no session, no cookie, no form; the link is the only key."""
    owner = get_owner_by_card_link(token)
    context = card_page_context(owner=owner)
    context["qr"] = qr_svg(context["astro_id_text"], title="Your Astro ID for the register")
    response = render(request, "loyalty/card_page/card_page.html", context)
    response["Referrer-Policy"] = "no-referrer"  # the link never leaks to a site it points to
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@retailer_required
@require_POST
def rotate_link(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner = get_owner_for(request.user, owner_id)
    rotate_card_link(owner=owner, actor=request.user)
    messages.success(request, "New card page link made. The old link no longer works.")
    return redirect(owner.get_absolute_url())


@retailer_required
@require_POST
def revoke_link(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner = get_owner_for(request.user, owner_id)
    revoke_card_link(owner=owner, actor=request.user)
    messages.success(request, "Card page link turned off. Make a new link to turn it back on.")
    return redirect(owner.get_absolute_url())


@admin_required
@require_http_methods(["GET", "POST"])
def store_logo(request: HttpRequest) -> HttpResponse:
    """Settings → Card page: the logo at the top of the store's card pages."""
    retailer = request.user.retailer
    posted = request.method == "POST"
    form = StoreLogoForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        save_store_logo(retailer=retailer, values=form.cleaned_data, actor=request.user)
        messages.success(request, "Card page logo saved.")
        return redirect("store_logo")
    context = {"form": form, "store": retailer}
    status = 422 if form.errors else 200
    return render(request, "loyalty/settings/card_page.html", context, status=status)
