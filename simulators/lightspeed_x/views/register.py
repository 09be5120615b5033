"""The sandbox register: the Sell screen with Pay and the Astro Loyalty payment type, whose
Gateway URL opens in a window over the sale (static/js/lightspeed_x_register.js speaks the
Payments API). No login: the sandbox exists only in the demo and tests; CSRF guards POSTs."""

from __future__ import annotations

import uuid
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from .. import shapes
from ..models import SandboxSale, SandboxStore
from ..registering import new_sale, total_to_pay
from .common import store_for

RECENT_SALES = 20


def sale_page(store: SandboxStore, sale: SandboxSale, **query: str) -> str:
    url = reverse("lightspeed_x_sandbox:sale", args=[store.domain_prefix, sale.sale_id])
    return f"{url}?{urlencode(query)}" if query else url


def as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def sale_for(store: SandboxStore, sale_id: str) -> SandboxSale:
    key = as_uuid(sale_id)
    sale = key and (
        SandboxSale.objects.filter(store=store, sale_id=key)
        .select_related("customer", "register__outlet", "return_for")
        .first()
    )
    if sale is None:
        raise Http404("No such sandbox sale.")
    return sale


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, domain_prefix: str) -> HttpResponse:
    """Recent sales and New sale."""
    store = store_for(domain_prefix)
    registers = [r for outlet in store.outlets.all() for r in outlet.registers.all()]
    if request.method == "POST":
        chosen = request.POST.get("register", "")
        register_ = next((r for r in registers if str(r.register_id) == chosen), None)
        if register_ is None:
            messages.error(request, "Choose a register.")
            return redirect("lightspeed_x_sandbox:register", domain_prefix)
        return redirect(sale_page(store, new_sale(store=store, register=register_)))
    sales = store.sales.select_related("customer", "register__outlet")[:RECENT_SALES]
    context = {"store": store, "registers": registers, "sales": sales}
    return render(request, "lightspeed_x_sandbox/register.html", context)


@require_GET
def sell(request: HttpRequest, domain_prefix: str, sale_id: str) -> HttpResponse:
    """One sale: lines, customer, totals; with ?pay=1 the Pay screen and its payment types."""
    store = store_for(domain_prefix)
    sale = sale_for(store, sale_id)
    lines = list(sale.lines.select_related("product"))
    due = total_to_pay(sale)
    origin = f"{request.scheme}://{request.get_host()}"
    gateway = ""
    if store.gateway_url:
        # The register adds amount, origin and register_id to the Gateway URL (vend/peg).
        query = {
            "amount": f"{due:.2f}",
            "origin": origin,
            "register_id": str(sale.register.register_id),
        }
        gateway = f"{store.gateway_url}{'&' if '?' in store.gateway_url else '?'}{urlencode(query)}"
    parts = urlsplit(store.gateway_url)
    context = {
        "store": store,
        "sale": sale,
        "lines": lines,
        "subtotal": sum((line.total for line in lines), Decimal(0)),
        "due": due,
        "paying": request.GET.get("pay") == "1" and sale.is_open,
        "gateway_src": gateway,
        "gateway_origin": f"{parts.scheme}://{parts.netloc}" if gateway else "",
        "register_sale": shapes.register_sale_json(sale),
        "products": store.products.all() if sale.is_open else [],
        "customers": store.customers.all() if sale.is_open else [],
    }
    return render(request, "lightspeed_x_sandbox/sale.html", context)


@require_http_methods(["GET", "POST"])
def store_settings(request: HttpRequest, domain_prefix: str) -> HttpResponse:
    """Setup → Payment Types (the Gateway URL) and Setup → API (the webhook), and whether the
    register saves a sale when Pay is pressed."""
    store = store_for(domain_prefix)
    if request.method == "POST":
        store.gateway_url = request.POST.get("gateway_url", "").strip()[:500]
        store.webhook_url = request.POST.get("webhook_url", "").strip()[:500]
        store.save_on_pay = request.POST.get("save_on_pay") == "on"
        store.save(update_fields=["gateway_url", "webhook_url", "save_on_pay"])
        messages.success(request, "Saved the store's settings.")
        return redirect("lightspeed_x_sandbox:settings", domain_prefix)
    return render(request, "lightspeed_x_sandbox/settings.html", {"store": store})
