"""The sandbox register: the cashier's Sale/Refund screen with the Astro Loyalty button.

Plain forms and redirects (post/redirect/get), so a barcode scanner's Enter always lands on a
fresh page with the scan field focused. No login: the sandbox only exists in the demo and tests;
CSRF still guards every POST.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, DecimalField, F, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import shapes
from ..forms import (
    REFUND_MODE,
    SALE_MODE,
    CustomerForm,
    NewSaleForm,
    QuantityForm,
    ScanForm,
    ShopButtonForm,
)
from ..models import SandboxAccount, SandboxSale, SandboxSaleLine, SandboxShop

RECENT_SALES = 25


def astro_button_url(button_url: str, sale: SandboxSale) -> str:
    """The shop's button URL with what Lightspeed appends to it (reference §1.2): saleID,
    customerID, shopID and employeeID. The URL's own query is kept."""
    values = {
        "saleID": str(sale.pk),
        # R-Series: an empty foreign key is "0" (reference §1.2).
        "customerID": str(sale.customer_id or 0),
        "shopID": sale.shop_id,
        "employeeID": sale.employee_id,
    }
    parts = urlsplit(button_url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in values]
    return urlunsplit(parts._replace(query=urlencode(kept + list(values.items()))))


def money(amount: Decimal) -> str:
    """Dollars as a register shows them: -$35.00 for a refund."""
    cents = Decimal(amount).quantize(shapes.CENTS)
    return f"-${-cents:,}" if cents < 0 else f"${cents:,}"


def _account(request: HttpRequest) -> SandboxAccount | None:
    """?account=<account_id>, else the first account: the sandbox needs no account picker."""
    accounts = SandboxAccount.objects.order_by("pk")
    wanted = request.POST.get("account") or request.GET.get("account")
    return accounts.filter(account_id=wanted).first() if wanted else accounts.first()


def _sale_url(sale: SandboxSale, mode: str = SALE_MODE) -> str:
    url = reverse("lightspeed_sandbox:register_sale", args=[sale.pk])
    return f"{url}?mode={REFUND_MODE}" if mode == REFUND_MODE else url


def _mode(request: HttpRequest) -> str:
    given = request.POST.get("mode") or request.GET.get("mode")
    return REFUND_MODE if given == REFUND_MODE else SALE_MODE


def _sale_for_change(request: HttpRequest, sale_id: int) -> tuple[SandboxSale, bool]:
    """The sale and whether it may change; a completed or voided one gets a message instead."""
    sale = _sandbox_row(SandboxSale.objects.select_related("account"), pk=sale_id)
    if not sale.is_open:
        state = "voided" if sale.voided else "completed"
        messages.error(request, f"Sale {sale.pk} is {state} and can no longer change.")
    return sale, sale.is_open


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Recent sales and New sale; ?saleID=N (Astro's Finished) goes back to that sale."""
    sale_id = request.GET.get("saleID", "").strip()
    if request.method == "GET" and sale_id:
        is_id = sale_id.isdigit() and len(sale_id) < 19  # fits a 64-bit primary key
        sale = SandboxSale.objects.filter(pk=sale_id).first() if is_id else None
        if sale is not None:
            return redirect(_sale_url(sale))
        messages.error(request, f"There is no sale {sale_id}.")
        return redirect("lightspeed_sandbox:register")
    account = _account(request)
    if account is None:
        return render(request, "lightspeed_sandbox/register.html", {"account": None}, status=404)
    form = NewSaleForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        return redirect(_sale_url(form.save()))
    sales = list(
        account.sales.select_related("customer")
        .annotate(
            line_count=Count("lines"),
            subtotal=Sum(
                F("lines__unit_price") * F("lines__unit_quantity"),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )
        .order_by("-created_at", "-pk")[:RECENT_SALES]
    )
    shops = {shop.shop_id: shop.name for shop in account.shops.all()}
    for sale in sales:
        sale.shop_name = shops.get(sale.shop_id, f"Shop {sale.shop_id}")
        sale.subtotal_display = money(sale.subtotal or 0)
    context = {"account": account, "form": form, "sales": sales}
    return render(request, "lightspeed_sandbox/register.html", context)


@require_GET
def register_sale(request: HttpRequest, sale_id: int) -> HttpResponse:
    """One sale: its lines, customer, totals, and the Astro Loyalty button."""
    sale = _sandbox_row(SandboxSale.objects.select_related("account", "customer"), pk=sale_id)
    lines = list(sale.lines.select_related("item", "parent_line"))
    for line in lines:
        line.price_display, line.total_display = money(line.unit_price), money(line.subtotal)
    subtotal = sum((line.subtotal for line in lines), Decimal("0"))
    tax = (subtotal * shapes.TAX_RATE).quantize(shapes.CENTS)
    shop = SandboxShop.objects.filter(account=sale.account, shop_id=sale.shop_id).first()
    button_url = astro_button_url(shop.button_url, sale) if shop and shop.button_url else ""
    mode = _mode(request)
    context = {
        "account": sale.account,
        "sale": sale,
        "shop": shop,
        "mode": mode,
        "lines": [(line, QuantityForm(line=line)) for line in lines],
        "scan_form": ScanForm(sale=sale, initial={"mode": mode}),
        "customer_form": CustomerForm(sale=sale),
        "subtotal": money(subtotal),
        "tax": money(tax),
        "total": money(subtotal + tax),
        "astro_url": button_url,
        "catalog": sale.account.items.order_by("description") if sale.is_open else [],
    }
    return render(request, "lightspeed_sandbox/register_sale.html", context)


@require_POST
def scan(request: HttpRequest, sale_id: int) -> HttpResponse:
    """A scanned or typed code becomes a line of 1, or of -1 in Refund mode."""
    sale, is_open = _sale_for_change(request, sale_id)
    form = ScanForm(request.POST, sale=sale)
    if is_open and form.is_valid():
        with transaction.atomic():
            line = form.save()
            sale.save(update_fields=["updated_at"])
        verb = "Refunded" if line.unit_quantity < 0 else "Added"
        messages.success(request, f"{verb}: {line.item}.")
    elif is_open:
        messages.error(request, _first_error(form))
    return redirect(_sale_url(sale, _mode(request)))


@require_POST
def customer(request: HttpRequest, sale_id: int) -> HttpResponse:
    """Add customer to sale, or remove it (the "remove" button)."""
    sale, is_open = _sale_for_change(request, sale_id)
    form = CustomerForm(request.POST, sale=sale)
    if is_open and "remove" in request.POST:
        sale.customer = None
        sale.save(update_fields=["customer", "updated_at"])
        messages.success(request, "The customer was removed from the sale.")
    elif is_open and form.is_valid():
        form.save()
        messages.success(request, f"{sale.customer} was added to the sale.")
    elif is_open:
        messages.error(request, _first_error(form))
    return redirect(_sale_url(sale, _mode(request)))


@require_POST
def line_quantity(request: HttpRequest, sale_id: int, line_id: int) -> HttpResponse:
    sale, is_open = _sale_for_change(request, sale_id)
    form = QuantityForm(request.POST, line=_line(sale, line_id))
    if is_open and form.is_valid():
        form.save()
    elif is_open:
        messages.error(request, f"Quantity: {_first_error(form)}")
    return redirect(_sale_url(sale, _mode(request)))


@require_POST
def line_remove(request: HttpRequest, sale_id: int, line_id: int) -> HttpResponse:
    sale, is_open = _sale_for_change(request, sale_id)
    line = _line(sale, line_id)
    if is_open:
        with transaction.atomic():
            line.delete()
            sale.save(update_fields=["updated_at"])
    return redirect(_sale_url(sale, _mode(request)))


def _line(sale: SandboxSale, line_id: int) -> SandboxSaleLine:
    line = _sandbox_row(SandboxSaleLine.objects, pk=line_id, sale=sale)
    line.sale = sale
    return line


@require_POST
def complete(request: HttpRequest, sale_id: int) -> HttpResponse:
    """Complete sale: the register takes payment and closes the sale."""
    sale, is_open = _sale_for_change(request, sale_id)
    if is_open and not sale.lines.exists():
        messages.error(request, "Add an item before completing the sale.")
        return redirect(_sale_url(sale, _mode(request)))
    if is_open:
        sale.completed = True
        sale.save(update_fields=["completed", "updated_at"])
        messages.success(request, f"Sale {sale.pk} is complete.")
    return redirect(_sale_url(sale))


@require_POST
def void(request: HttpRequest, sale_id: int) -> HttpResponse:
    """Void sale: it stays on record with voided "true" and no longer counts (reference §2.4)."""
    sale, is_open = _sale_for_change(request, sale_id)
    if is_open:
        sale.voided = True
        sale.save(update_fields=["voided", "updated_at"])
        messages.success(request, f"Sale {sale.pk} was voided.")
    return redirect(_sale_url(sale))


@require_http_methods(["GET", "POST"])
def shop_settings(request: HttpRequest) -> HttpResponse:
    """Settings → Custom Menus: each shop's Astro Loyalty button URL (reference §1.1)."""
    account = _account(request)
    if account is None:
        return render(request, "lightspeed_sandbox/register.html", {"account": None}, status=404)
    shops = list(account.shops.all())
    chosen = request.POST.get("shop", "")
    shop_forms = [
        (
            shop,
            ShopButtonForm(
                request.POST if chosen == str(shop.pk) else None,
                instance=shop,
                prefix=f"shop-{shop.pk}",
            ),
        )
        for shop in shops
    ]
    for shop, form in shop_forms:
        if form.is_bound and form.is_valid():
            form.save()
            messages.success(request, f"Saved the button URL of {shop.name}.")
            query = urlencode({"account": account.account_id})
            return HttpResponseRedirect(
                f"{reverse('lightspeed_sandbox:register_settings')}?{query}"
            )
    context = {"account": account, "shop_forms": shop_forms}
    return render(request, "lightspeed_sandbox/register_settings.html", context)


def _sandbox_row(rows, **lookup):
    """One sandbox row or a 404 (the sandbox has one demo account; Astro's gate is elsewhere)."""
    row = rows.filter(**lookup).first()
    if row is None:
        raise Http404("No such sandbox row.")
    return row
