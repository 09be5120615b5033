"""Checkout's pop-ups and the Finish screen (SPEC §4 step 7), back to the POS on Finished."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from loyalty.access import (
    get_visit_card_for,
    get_visit_for,
    get_visit_point_reward_for,
    get_visit_redemption_for,
    retailer_required,
)
from loyalty.errors import DomainError
from loyalty.forms.owners import ContactForm
from loyalty.models import Card
from loyalty.rules.visits import MULTI_PURCHASE_REASONS
from loyalty.selectors import checkout as selectors
from loyalty.services import checkout as service
from loyalty.services import checkout_steps as steps
from loyalty.services.owners import update_contact
from loyalty.services.points import accept_point_reward
from loyalty.services.redemptions import missing_contact_data, redeem_card
from loyalty.services.sales import check_visit_open
from loyalty.services.undo import undo_redemption

PAGE = "loyalty/finish/finish.html"
DIALOG = "loyalty/checkout/_dialog.html"


@retailer_required
@require_POST
def checkout_next(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Checkout: record what the last pop-up asked for, then show the next one or go to Finish."""
    visit = get_visit_for(request.user, visit_id)
    step, cards = steps.next_checkout_step(visit=visit, redemption_seen=False)
    error, form, answers = "", None, {}
    try:
        if request.POST.get("step") == steps.MULTI_PURCHASE and step == steps.MULTI_PURCHASE:
            answers = {
                card.pk: steps.Answer(
                    request.POST.get(f"reason_{card.pk}", ""),
                    request.POST.get(f"note_{card.pk}", ""),
                )
                for card in cards
            }
            problems = steps.record_reasons(visit=visit, cards=cards, answers=answers)
            if problems:  # nothing saved: every answer comes back, each problem by its card
                return render(request, DIALOG, _dialog(visit, step, cards, answers, problems))
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
    context = _dialog(visit, step, cards, {}, {}) | {"form": form, "error": error}
    return render(request, DIALOG, context)


def _dialog(visit, step: str, cards: list[Card], answers: dict, problems: dict) -> dict:
    return {
        "visit": visit,
        "step": step,
        "cards": cards,
        "reasons": MULTI_PURCHASE_REASONS,
        "answers": answers,
        "problems": problems,
        "error": "",
    }


def _contact_form(visit, cards: list[Card], data) -> ContactForm:
    missing = sorted({field for card in cards for field in missing_contact_data(card)})
    return ContactForm(data, instance=visit.owner, missing=missing)


def _finish(request: HttpRequest, visit, *, status: int = 200, **state) -> HttpResponse:
    """The Finish screen, or its #finish-body region; `state` places errors beside their
    control (`error_for`, the card or reward they are about) and keeps the cashier's choices."""
    context = selectors.finish_summary(visit=visit) | selectors.SCREEN_STATE | state
    template = f"{PAGE}#finish-body" if request.htmx else PAGE
    return render(request, template, context, status=status)


def _answer(request: HttpRequest, visit, *, error: str = "", **state) -> HttpResponse:
    if request.htmx:
        return _finish(request, visit, error=error, status=422 if error else 200, **state)
    if error:
        messages.error(request, error)
    elif state.get("notice"):
        messages.success(request, state["notice"])
    return redirect("finish", visit.pk)


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
        int(key.removeprefix("card_")): int(value)
        for key, value in request.POST.items()
        if key.startswith("card_") and key[5:].isdigit() and value.isdigit()
    }
    if not chosen:
        return _answer(request, visit, error="Select the item the customer takes home.")
    card_errors = {}
    for card_id, item_id in chosen.items():
        try:
            redeem_card(
                card=get_visit_card_for(visit, card_id),
                item_id=item_id,
                cashier=request.user,
                location=visit.location,
                visit=visit,
            )
        except DomainError as exc:
            card_errors[card_id] = exc.message
        except Http404:
            card_errors[card_id] = "That card is not this pet owner's."
    if card_errors:  # beside each card, with the cashier's choices kept
        error = " ".join(card_errors.values())
        return _answer(request, visit, error=error, error_for="card", card_errors=card_errors,
                       chosen=chosen)  # fmt: skip
    return _answer(request, visit)


@retailer_required
@require_POST
def undo_reward(request: HttpRequest, visit_id: int, redemption_id: int) -> HttpResponse:
    """SPEC §3 Undo before Finished: the card is complete again, its report withdrawn (or
    corrected when it was already sent)."""
    visit = get_visit_for(request.user, visit_id)
    redemption = get_visit_redemption_for(visit, redemption_id)
    try:
        result = undo_redemption(redemption=redemption, actor=request.user, visit=visit)
    except DomainError as exc:
        return _answer(request, visit, error=exc.message, error_for="undo",
                       error_reward=redemption.pk)  # fmt: skip
    notice = (
        f"Reward {result.redemption.reward_id} undone: card "
        f"{result.redemption.card.card_number} is complete again."
    )
    return _answer(request, visit, notice=notice)


@retailer_required
@require_POST
def redeem_point_reward(request: HttpRequest, visit_id: int, reward_id: int) -> HttpResponse:
    """SPEC §2: a point reward the balance reaches, redeemed once in this visit."""
    visit = get_visit_for(request.user, visit_id)
    reward = get_visit_point_reward_for(visit, reward_id)
    try:
        check_visit_open(visit)
        entry = accept_point_reward(
            owner=visit.owner, reward=reward, location=visit.location, visit=visit,
            actor=request.user,
        )  # fmt: skip
    except DomainError as exc:
        return _answer(request, visit, error=exc.message, error_for="point_reward",
                       error_reward=reward.pk)  # fmt: skip
    notice = f"{reward.name} redeemed: {-entry.points} points used, reward {entry.reward_id}."
    return _answer(request, visit, notice=notice)


@retailer_required
@require_POST
def finished(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Finished: close the visit and send the cashier back to the sale in the POS."""
    visit = get_visit_for(request.user, visit_id)
    try:
        service.finish_visit(visit=visit)
    except DomainError as exc:
        return _answer(request, visit, error=exc.message)
    target = visit.return_url or visit.owner.get_absolute_url()
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
