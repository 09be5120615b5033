"""The register's other screens: its sales, its customers, the queue for Astro, the switch."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from .. import outbox, sales
from ..customers import new_customer_number
from ..forms import NewCustomerForm
from ..screens import entry_or_404, home_screen, queue_screen, store_for
from .sale import to_sale


def _with_store(name: str, store) -> HttpResponse:
    return redirect(f"{reverse(name)}?store={store.code}")


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "rest_register/home.html", home_screen(store_for(request)))


@require_POST
def new_sale(request: HttpRequest) -> HttpResponse:
    return to_sale(sales.open_sale(store_for(request)).pk)


@require_http_methods(["GET", "POST"])
def customers(request: HttpRequest) -> HttpResponse:
    """The POS's customer list and New Customer (name, email and phone go to Astro on Yes)."""
    store = store_for(request)
    form = NewCustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        customer = form.save(commit=False)
        customer.store, customer.number = store, new_customer_number(store)
        customer.save()
        messages.success(request, f"Saved {customer} as customer {customer.number}.")
        return _with_store("rest_register:customers", store)
    context = {"store": store, "form": form, "customers": store.customers.all()}
    return render(request, "rest_register/customers.html", context)


@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "rest_register/queue.html", queue_screen(store_for(request)))


@require_POST
def send_queue(request: HttpRequest) -> HttpResponse:
    """Send now: what the scheduled task does, on demand."""
    store = store_for(request)
    report = outbox.send_queue(store)
    level = messages.WARNING if report.waiting or report.refused else messages.SUCCESS
    messages.add_message(request, level, report.sentence)
    return _with_store("rest_register:queue", store)


@require_POST
def send_again(request: HttpRequest, entry_id: int) -> HttpResponse:
    store = store_for(request)
    outbox.send_again(entry_or_404(store, entry_id))
    messages.success(request, "Back in the queue; it goes with the next send.")
    return _with_store("rest_register:queue", store)


@require_POST
def astro_switch(request: HttpRequest) -> HttpResponse:
    """The demo's and tests' switch: Astro unreachable points the client at a dead address."""
    store = store_for(request)
    store.astro_unreachable = request.POST.get("unreachable") == "1"
    store.save(update_fields=["astro_unreachable"])
    if store.astro_unreachable:
        messages.warning(request, "Astro is now unreachable: paid sales wait in the queue.")
    else:
        messages.success(request, "Astro is reachable again. Press Send queued now to catch up.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return _with_store("rest_register:home", store)
