"""The sale screen: ring up, put the customer on, pay, void, print the receipt.

Plain forms and redirects (post/redirect/get), so a scanner's Enter always lands on a fresh page
with the scan field focused; CSRF guards every POST."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .. import customers, payment, sales
from ..forms import CustomerPickForm, QuantityForm, ScanForm, TenderForm, first_error
from ..screens import line_or_404, sale_or_404, sale_screen
from ..summary import summarize
from .common import later_key, refused


def to_sale(sale_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("rest_register:sale", args=[sale_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_GET
def sale(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    later = bool(sale.customer and request.session.get(later_key(sale.customer)))
    return render(request, "rest_register/sale.html", sale_screen(sale, later=later))


@require_POST
def scan(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    form = ScanForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return to_sale(sale.pk)
    with refused(request):
        line = sales.add_product(sale, form.cleaned_data["code"])
        messages.success(request, f"Added {line.product}.")
    return to_sale(sale.pk)


@require_POST
def line_quantity(request: HttpRequest, sale_id: int, line_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    line = line_or_404(sale, line_id)
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Quantity of {line.product}: {first_error(form)}")
        return to_sale(sale.pk)
    with refused(request):
        sales.set_quantity(line, form.cleaned_data["quantity"])
    return to_sale(sale.pk)


@require_POST
def line_remove(request: HttpRequest, sale_id: int, line_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    line = line_or_404(sale, line_id)
    with refused(request):
        sales.remove_line(line)
        messages.success(request, f"Removed {line.product}.")
    return to_sale(sale.pk)


@require_POST
def customer(request: HttpRequest, sale_id: int) -> HttpResponse:
    """Add the customer to the sale; the register then fetches their Astro account (seed 003)."""
    sale = sale_or_404(sale_id)
    if "remove" in request.POST:
        with refused(request):
            sales.set_customer(sale, None)
        return to_sale(sale.pk)
    form = CustomerPickForm(request.POST, store=sale.store)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return to_sale(sale.pk)
    chosen = form.cleaned_data["customer"]
    with refused(request):
        customers.refresh_customer(chosen)
        sales.set_customer(sale, chosen)
        messages.success(request, f"{chosen} is on the sale.")
    return to_sale(sale.pk, "astro-tab")


@require_POST
def pay(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    form = TenderForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return to_sale(sale.pk)
    with refused(request):
        result = payment.pay(sale, form.cleaned_data["tender"])
        if not result.is_paid:
            messages.warning(request, "Astro has rewards for this customer: apply or decline each.")
            return to_sale(sale.pk, "prompts")
        report = result.report
        level = messages.WARNING if report.waiting or report.refused else messages.SUCCESS
        messages.add_message(request, level, f"Paid. {report.sentence}")
        return redirect("rest_register:receipt", sale_id=sale.pk)
    return to_sale(sale.pk)


@require_POST
def void(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    with refused(request):
        sales.void_sale(sale)
        messages.success(request, f"Sale {sale.pos_sale_id} was voided; Astro never hears of it.")
    return to_sale(sale.pk)


@require_GET
def receipt(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = sale_or_404(sale_id)
    if sale.is_open:
        messages.error(request, "Take payment first: the receipt prints once the sale is paid.")
        return to_sale(sale.pk)
    context = {"store": sale.store, "sale": sale, "summary": summarize(sale)}
    return render(request, "rest_register/receipt.html", context)
