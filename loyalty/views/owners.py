"""Pet owner screens: search, the account page with its cards, a card's details."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

from loyalty.access import get_card_for, get_owner_for, retailer_required
from loyalty.selectors import owners as selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.retailer_id is None and request.user.is_staff:
        return redirect("admin:index")  # platform staff work in Django admin
    return redirect("owner_search")


@retailer_required
def owner_search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    scanned = selectors.scanned_owner(retailer=request.user.retailer, text=text)
    if scanned is not None:  # the owner's QR code, typed by the scanner: straight to them
        url = scanned.get_absolute_url()
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    owners = selectors.search_owners(retailer=request.user.retailer, text=text)
    template = "loyalty/owners/search.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"owners": owners, "q": text})


@retailer_required
def owner_detail(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner = get_owner_for(request.user, owner_id)
    context = selectors.owner_page(owner=owner) | {"notes_editable": True}
    expanded = request.GET.get("expand", "")
    if expanded.isdigit():
        card = get_card_for(request.user, int(expanded))
        context["expanded"] = card
        context["expanded_purchases"] = selectors.card_purchases(card=card)
    return render(request, "loyalty/owners/detail.html", context)


@retailer_required
def card_details(request: HttpRequest, card_id: int) -> HttpResponse:
    """Expand Details: a fragment for htmx, the owner page with this card open otherwise."""
    card = get_card_for(request.user, card_id)
    if not request.htmx:
        return redirect(f"{card.owner.get_absolute_url()}?expand={card.pk}")
    context = {"card": card, "purchases": selectors.card_purchases(card=card)}
    return render(request, "loyalty/owners/_card_details.html", context)
