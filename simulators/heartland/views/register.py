"""The sandbox POS: a Heartland Retail ticket screen that frames the store's UI extension.

The extension is loaded with ?ticket_id=&customer_id=&account_uuid=&subdomain=&pos_url=, stays
hidden until it asks to be shown, and may ask the POS to send its window elsewhere (notes §7;
static/js/heartland-register.js). Plain forms and redirects (post/redirect/get), so a scanner's
Enter always lands on a fresh page with the scan field focused. No login: the sandbox only
exists in the demo and tests; CSRF still guards every POST.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import shapes
from ..forms import (
    RETURN_MODE,
    SALE_MODE,
    CustomerForm,
    ExtensionForm,
    NewTicketForm,
    QuantityForm,
    ScanForm,
    sync_station,
    unsaved_changes,
)
from ..models import SandboxAccount, SandboxTicket, SandboxTicketLine, TicketStatus

RECENT_TICKETS = 25


def money(amount: Decimal) -> str:
    """Dollars as a register shows them: -$35.00 for a return."""
    cents = Decimal(amount).quantize(shapes.CENTS)
    return f"-${-cents:,}" if cents < 0 else f"${cents:,}"


def extension_src(request: HttpRequest, ticket: SandboxTicket) -> str:
    """The account's UI extension URL with what the POS appends to it (notes §7)."""
    url = ticket.account.extension_url
    if not url:
        return ""
    values = {
        "ticket_id": str(ticket.pk),
        "customer_id": str(ticket.customer_id or ""),
        "account_uuid": str(ticket.account.account_uuid),
        "subdomain": ticket.account.subdomain,
        "pos_url": request.build_absolute_uri(_ticket_url(ticket)),
    }
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(values)]))
    return urlunsplit(parts._replace(query=query))


def _account(request: HttpRequest) -> SandboxAccount | None:
    """?account=<subdomain>, else the first account: the sandbox needs no account picker."""
    accounts = SandboxAccount.objects.order_by("pk")
    wanted = request.POST.get("account") or request.GET.get("account")
    return accounts.filter(subdomain=wanted).first() if wanted else accounts.first()


def _ticket_url(ticket: SandboxTicket, mode: str = SALE_MODE) -> str:
    url = reverse("heartland_sandbox:ticket", args=[ticket.pk])
    return f"{url}?mode={RETURN_MODE}" if mode == RETURN_MODE else url


def _mode(request: HttpRequest) -> str:
    given = request.POST.get("mode") or request.GET.get("mode")
    return RETURN_MODE if given == RETURN_MODE else SALE_MODE


def _ticket(ticket_id: int) -> SandboxTicket:
    found = (
        SandboxTicket.objects.select_related("account", "customer", "station", "location")
        .filter(pk=ticket_id)
        .first()
    )
    if found is None:
        raise Http404("No such sandbox ticket.")
    return found


def _for_change(request: HttpRequest, ticket_id: int) -> tuple[SandboxTicket, bool]:
    """The ticket and whether it may change; a paid or voided one gets a message instead."""
    ticket = _ticket(ticket_id)
    if not ticket.is_open:
        messages.error(request, f"Ticket #{ticket.number} is {ticket.status} and cannot change.")
    return ticket, ticket.is_open


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Recent tickets and New ticket; ?ticket_id=N opens that ticket."""
    ticket_id = request.GET.get("ticket_id", "").strip()
    if request.method == "GET" and ticket_id:
        found = SandboxTicket.objects.filter(pk=ticket_id).first() if ticket_id.isdigit() else None
        if found is not None:
            return redirect(_ticket_url(found))
        messages.error(request, f"There is no ticket {ticket_id}.")
        return redirect("heartland_sandbox:register")
    account = _account(request)
    if account is None:
        return render(request, "heartland_sandbox/home.html", {"account": None}, status=404)
    form = NewTicketForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        return redirect(_ticket_url(form.save()))
    tickets = list(
        account.tickets.select_related("customer", "location").order_by("-pk")[:RECENT_TICKETS]
    )
    for ticket in tickets:
        subtotal, tax = shapes.amounts(list(ticket.lines.all()))
        ticket.total_display = money(subtotal + tax)
    context = {"account": account, "form": form, "tickets": tickets}
    return render(request, "heartland_sandbox/home.html", context)


@require_GET
def ticket_page(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """One ticket: its lines, customer, totals, and the UI extension strip."""
    ticket = _ticket(ticket_id)
    lines = list(ticket.lines.select_related("item"))
    for line in lines:
        line.price_display, line.total_display = money(line.unit_price), money(line.value)
    subtotal, tax = shapes.amounts(lines)
    mode = _mode(request)
    context = {
        "account": ticket.account,
        "ticket": ticket,
        "mode": mode,
        "lines": [(line, QuantityForm(line=line)) for line in lines],
        "scan_form": ScanForm(ticket=ticket, initial={"mode": mode}),
        "customer_form": CustomerForm(ticket=ticket),
        "subtotal": money(subtotal),
        "tax": money(tax),
        "total": money(subtotal + tax),
        "extension_src": extension_src(request, ticket),
        "held": unsaved_changes(ticket),
        "catalog": ticket.account.items.order_by("description") if ticket.is_open else [],
    }
    return render(request, "heartland_sandbox/ticket.html", context)


@require_POST
def scan(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket, is_open = _for_change(request, ticket_id)
    form = ScanForm(request.POST, ticket=ticket)
    if is_open and form.is_valid():
        line = form.save()
        verb = "Returned" if line.qty < 0 else "Added"
        messages.success(request, f"{verb}: {line.item}.")
    elif is_open:
        messages.error(request, _first_error(form))
    return redirect(_ticket_url(ticket, _mode(request)))


@require_POST
def customer(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Add customer to ticket, or remove it (the "remove" button)."""
    ticket, is_open = _for_change(request, ticket_id)
    form = CustomerForm(request.POST, ticket=ticket)
    if is_open and "remove" in request.POST:
        ticket.customer = None
        ticket.save(update_fields=["customer", "updated_at"])
        messages.success(request, "The customer was removed from the ticket.")
    elif is_open and form.is_valid():
        form.save()
        messages.success(request, f"{ticket.customer} was added to the ticket.")
    elif is_open:
        messages.error(request, _first_error(form))
    return redirect(_ticket_url(ticket, _mode(request)))


def _line(ticket: SandboxTicket, line_id: int) -> SandboxTicketLine:
    line = SandboxTicketLine.objects.filter(pk=line_id, ticket=ticket).first()
    if line is None:
        raise Http404("No such sandbox ticket line.")
    line.ticket = ticket
    return line


@require_POST
def line_qty(request: HttpRequest, ticket_id: int, line_id: int) -> HttpResponse:
    ticket, is_open = _for_change(request, ticket_id)
    form = QuantityForm(request.POST, line=_line(ticket, line_id))
    if is_open and form.is_valid():
        form.save()
    elif is_open:
        messages.error(request, f"Qty: {_first_error(form)}")
    return redirect(_ticket_url(ticket, _mode(request)))


@require_POST
def line_remove(request: HttpRequest, ticket_id: int, line_id: int) -> HttpResponse:
    ticket, is_open = _for_change(request, ticket_id)
    line = _line(ticket, line_id)
    if is_open:
        line.delete()
        ticket.save(update_fields=["updated_at"])
    return redirect(_ticket_url(ticket, _mode(request)))


@require_POST
def pay(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Pay: the register takes the payment and completes the ticket."""
    ticket, is_open = _for_change(request, ticket_id)
    if is_open and not ticket.lines.exists():
        messages.error(request, "Add an item before taking payment.")
    elif is_open:
        ticket.status, ticket.completed_at = TicketStatus.COMPLETE, timezone.now()
        ticket.save(update_fields=["status", "completed_at", "updated_at"])
        messages.success(request, f"Ticket #{ticket.number} is complete.")
    return redirect(_ticket_url(ticket))


@require_POST
def void(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket, is_open = _for_change(request, ticket_id)
    if is_open:
        ticket.status = TicketStatus.VOIDED
        ticket.save(update_fields=["status", "updated_at"])
        messages.success(request, f"Ticket #{ticket.number} was voided.")
    return redirect(_ticket_url(ticket))


@require_POST
def hold(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Hold or release the station's sync; releasing it sends what it held."""
    ticket = _ticket(ticket_id)
    station = ticket.station
    if station is None:
        raise Http404("This ticket has no station.")
    station.hold_sync = request.POST.get("hold") == "1"
    station.save(update_fields=["hold_sync"])
    if station.hold_sync:
        messages.info(request, f"{station}: changes stay on this register until it syncs.")
    else:
        count = sync_station(station)
        messages.success(request, f"{station} synced {count} change{'s' * (count != 1)}.")
    return redirect(_ticket_url(ticket, _mode(request)))


@require_http_methods(["GET", "POST"])
def extension_settings(request: HttpRequest) -> HttpResponse:
    """Settings → Integrations: the POS UI extension URL of the account (notes §7)."""
    account = _account(request)
    if account is None:
        return render(request, "heartland_sandbox/home.html", {"account": None}, status=404)
    form = ExtensionForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved the UI extension URL.")
        url = reverse("heartland_sandbox:settings")
        return redirect(f"{url}?{urlencode({'account': account.subdomain})}")
    return render(request, "heartland_sandbox/settings.html", {"account": account, "form": form})
