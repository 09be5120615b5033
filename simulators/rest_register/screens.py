"""Reads for the register's pages: the store being used, a sale with its Astro tab, the queue.

The register has no login: like the other sandboxes it only exists in the demo and tests."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from .customers import NOT_LINKED, AstroTab, read_tab
from .forms import CustomerPickForm, ScanForm, TenderForm
from .models import EntryState, OutboxEntry, RegisterStore, Sale, SaleLine, SaleReward
from .rewards import undecided
from .summary import summarize

RECENT_SALES = 20
QUEUE_ROWS = 200


def store_for(request: HttpRequest) -> RegisterStore:
    """?store=<code>, else the first store: the sandbox needs no store picker."""
    stores = RegisterStore.objects.order_by("pk")
    code = request.GET.get("store") or request.POST.get("store")
    store = stores.filter(code=code).first() if code else stores.first()
    if store is None:
        raise Http404("No register store is set up: run manage.py seed_demo.")
    return store


def sale_or_404(sale_id: int) -> Sale:
    sale = Sale.objects.select_related("store", "customer").filter(pk=sale_id).first()
    if sale is None:
        raise Http404("No such sale on this register.")
    return sale


def line_or_404(sale: Sale, line_id: int) -> SaleLine:
    line = sale.lines.select_related("product").filter(pk=line_id).first()
    if line is None:
        raise Http404("No such line on this sale.")
    line.sale = sale
    return line


def reward_or_404(sale: Sale, reward_id: int) -> SaleReward:
    reward = sale.rewards.filter(pk=reward_id).first()
    if reward is None:
        raise Http404("No such reward on this sale.")
    reward.sale = sale
    return reward


def entry_or_404(store: RegisterStore, entry_id: int) -> OutboxEntry:
    entry = store.outbox.filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such queued request.")
    return entry


def queue_counts(store: RegisterStore) -> dict[str, int]:
    return {
        "waiting": store.outbox.filter(state=EntryState.PENDING).count(),
        "refused": store.outbox.filter(state=EntryState.REFUSED).count(),
    }


def sale_screen(sale: Sale, *, later: bool) -> dict[str, Any]:
    """Everything the sale page shows; the Astro tab is read live (unchanged until payment)."""
    tab = read_tab(sale.customer) if sale.customer else AstroTab("none")
    summary = summarize(sale)
    products = sale.store.products.order_by("description") if sale.is_open else []
    return {
        "store": sale.store,
        "sale": sale,
        "summary": summary,
        "tab": tab,
        "ask_to_map": tab.state == NOT_LINKED and sale.is_open and not later,
        "prompts": undecided(sale) if sale.is_open else [],
        "redeemed_cards": {r.astro_ref for r in summary.rewards if r.kind == "redemption"},
        "products": products,
        "scan_form": ScanForm(),
        "customer_form": CustomerPickForm(store=sale.store),
        "tender_form": TenderForm(),
        "queue": queue_counts(sale.store),
    }


def home_screen(store: RegisterStore) -> dict[str, Any]:
    sales = list(store.sales.select_related("customer").order_by("-pk")[:RECENT_SALES])
    return {
        "store": store,
        "sales": [(sale, summarize(sale)) for sale in sales],
        "queue": queue_counts(store),
    }


def queue_screen(store: RegisterStore) -> dict[str, Any]:
    # The latest requests, oldest first: the order they are sent in.
    latest = store.outbox.select_related("sale", "reward").order_by("-pk")[:QUEUE_ROWS]
    entries = list(reversed(latest))
    return {"store": store, "entries": entries, "queue": queue_counts(store)}
