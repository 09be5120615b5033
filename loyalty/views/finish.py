"""Checkout's pop-ups and the Finish screen (SPEC §4 step 7), back to the POS on Finished."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from loyalty.access import get_visit_card_for, get_visit_for, retailer_required
from loyalty.errors import DomainError
from loyalty.forms.owners import ContactForm
from loyalty.models import Card
from loyalty.rules.visits import MULTI_PURCHASE_REASONS
from loyalty.selectors import checkout as selectors
from loyalty.services import checkout as service
from loyalty.services import checkout_steps as steps
from loyalty.services.owners import update_contact
from loyalty.services.redemptions import missing_contact_data, redeem_card
from loyalty.services.sales import record_multi_purchase_reason

PAGE = "loyalty/finish/finish.html"
DIALOG = "loyalty/checkout/_dialog.html"


@retailer_required
@require_POST
def checkout_next(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Checkout: record what the last pop-up asked for, then show the next one or go to Finish."""
    visit = get_visit_for(request.user, visit_id)
    step, cards = steps.next_checkout_step(visit=visit, redemption_seen=False)
    error, form = "", None
    try:
        if request.POST.get("step") == steps.MULTI_PURCHASE and step == steps.MULTI_PURCHASE:
            for card in cards:
                record_multi_purchase_reason(
                    visit=visit,
                    card=card,
                    reason=request.POST.get(f"reason_{card.pk}", ""),
                    note=request.POST.get(f"note_{card.pk}", ""),
                )
        elif request.POST.get("step") == steps.CONTACT and step == steps.CONTACT:
            form = _contact_form(visit, cards, request.POST)
            if form.is_valid():
                update_contact(owner=visit.owner, changes=form.cleaned_data, actor=request.user)
                form = None
    except DomainError as exc:
        error = exc.message
    seen = request.POST.get("step") == steps.REDEMPTION
    step, cards = steps.next_checkout_step(visit=visit, redemption_seen=seen)
    if step == steps.FINISH:
        service.mark_checked_out(visit=visit)
        url = reverse("finish", args=[visit.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if step == steps.CONTACT and form is None:
        form = _contact_form(visit, cards, None)
    context = {
        "visit": visit,
        "step": step,
        "cards": cards,
        "reasons": MULTI_PURCHASE_REASONS,
        "form": form,
        "error": error,
    }
    return render(request, DIALOG, context)


def _contact_form(visit, cards: list[Card], data) -> ContactForm:
    missing = sorted({field for card in cards for field in missing_contact_data(card)})
    return ContactForm(data, instance=visit.owner, missing=missing)


def _finish(request: HttpRequest, visit, *, error: str = "", status: int = 200) -> HttpResponse:
    context = selectors.finish_summary(visit=visit) | {"error": error}
    template = f"{PAGE}#finish-body" if request.htmx else PAGE
    return render(request, template, context, status=status)


@retailer_required
def finish(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = get_visit_for(request.user, visit_id)
    return _finish(request, visit)


@retailer_required
@require_POST
def redeem(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Redeem Selected Items: one reward per complete card the cashier picked an item for."""
    visit = get_visit_for(request.user, visit_id)
    chosen = {
        int(key.removeprefix("card_")): value
        for key, value in request.POST.items()
        if key.startswith("card_") and key[5:].isdigit() and value.isdigit()
    }
    errors = []
    if not chosen:
        errors.append("Select the item the customer takes home for each reward.")
    for card_id, item_id in chosen.items():
        try:
            redeem_card(
                card=get_visit_card_for(visit, card_id),
                item_id=int(item_id),
                cashier=request.user,
                location=visit.location,
                visit=visit,
            )
        except DomainError as exc:
            errors.append(exc.message)
        except Http404:
            errors.append("That card is not this pet owner's.")
    error = " ".join(errors)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("finish", visit.pk)
    return _finish(request, visit, error=error, status=422 if error else 200)


@retailer_required
@require_POST
def finished(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Finished: close the visit and send the cashier back to the sale in the POS."""
    visit = get_visit_for(request.user, visit_id)
    try:
        service.finish_visit(visit=visit)
    except DomainError as exc:
        if request.htmx:
            return _finish(request, visit, error=exc.message, status=422)
        messages.error(request, exc.message)
        return redirect("finish", visit.pk)
    target = visit.return_url or visit.owner.get_absolute_url()
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
