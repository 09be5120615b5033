"""The Astro side of a sale: mapping its customer, the tab's Unlink, redeeming a complete card,
and the cashier's answer to a coupon or point-reward prompt."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import customers, rewards, sales
from ..customers import LINKED, read_tab
from ..forms import DecisionForm, MatchForm, RedeemForm, first_error
from ..screens import reward_or_404, sale_or_404
from .common import later_key, refused
from .sale import to_sale


def _customer_of(request: HttpRequest, sale):
    if sale.customer is None:
        messages.error(request, "Add a customer to the sale first.")
    return sale.customer


@require_POST
def create_in_astro(request: HttpRequest, sale_id: int) -> HttpResponse:
    """Yes: create the customer's Astro pet owner account and map it."""
    sale = sale_or_404(sale_id)
    if (customer := _customer_of(request, sale)) is None:
        return to_sale(sale.pk)
    with refused(request):
        tab = customers.create_in_astro(customer)
        if tab.state == LINKED:
            messages.success(
                request, f"{customer} now has Astro account {tab.loyalty['astro_id']}."
            )
        sales.requote_offers(sale)
    return to_sale(sale.pk, "astro-tab")


@require_GET
def find_in_astro(request: HttpRequest, sale_id: int) -> HttpResponse:
    """Already In Astro: the pet owners with the customer's email, to confirm one."""
    sale = sale_or_404(sale_id)
    if (customer := _customer_of(request, sale)) is None:
        return to_sale(sale.pk)
    matches = None
    with refused(request):
        matches = customers.find_in_astro(customer)
    if matches is None:
        return to_sale(sale.pk)
    context = {"store": sale.store, "sale": sale, "customer": customer, "matches": matches}
    return render(request, "rest_register/match.html", context)


@require_POST
def confirm_match(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    form = MatchForm(request.POST)
    if (customer := _customer_of(request, sale)) is None or not form.is_valid():
        return to_sale(sale.pk)
    with refused(request):
        customers.confirm_match(customer, form.cleaned_data["astro_id"])
        messages.success(request, f"{customer} is mapped to their Astro account.")
        sales.requote_offers(sale)
    return to_sale(sale.pk, "astro-tab")


@require_POST
def link_later(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    if (customer := _customer_of(request, sale)) is not None:
        request.session[later_key(customer)] = True
    return to_sale(sale.pk)


@require_POST
def unlink(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    if (customer := _customer_of(request, sale)) is None:
        return to_sale(sale.pk)
    with refused(request):
        customers.unlink(customer)
        sales.set_customer(sale, customer)  # its Astro discounts were for that account
        messages.success(request, f"{customer} is no longer linked to Astro.")
    return to_sale(sale.pk, "astro-tab")


@require_http_methods(["GET", "POST"])
def redeem(request: HttpRequest, sale_id: int, card_id: str) -> HttpResponse:
    """The card's redeemable items, limited to what the store has in stock (seed 003)."""
    sale = sale_or_404(sale_id)
    if (customer := _customer_of(request, sale)) is None:
        return to_sale(sale.pk)
    tab = read_tab(customer)
    if request.method == "POST":
        form = RedeemForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose the item to give.")
            return to_sale(sale.pk)
        with refused(request):
            reward = rewards.redeem_onto_sale(sale, tab, card_id, form.cleaned_data["item_id"])
            messages.success(request, f"{reward.line.product} is on the sale as the reward.")
        return to_sale(sale.pk)
    card = None
    with refused(request):
        card = rewards.find_redeemable(tab, card_id)
    if card is None:
        return to_sale(sale.pk)
    context = {"store": sale.store, "sale": sale, "card": card, "tab": tab}
    return render(request, "rest_register/redeem.html", context)


@require_POST
def decide(request: HttpRequest, sale_id: int, reward_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    reward = reward_or_404(sale, reward_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return to_sale(sale.pk, "prompts")
    with refused(request):
        reward = rewards.decide(reward, form.cleaned_data["decision"], form.cleaned_data["amount"])
        verb = "Applied" if reward.decision == "apply" else "Not applied"
        messages.success(request, f"{verb}: {reward.name}.")
    return to_sale(sale.pk, "prompts" if rewards.undecided(sale) else "pay")
