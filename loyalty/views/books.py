"""The store's books (issue 15): Reconciliation (the last reconcile run, and a run on demand)
and the Abandoned cards report with its CSV. Admins only, their own store only."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from loyalty.access import admin_required
from loyalty.presentation.text import when
from loyalty.selectors import abandoned_cards as abandoned
from loyalty.selectors.reconcile.runs import last_reconcile_run
from loyalty.services.reconcile import record_reconcile_run

from .analytics import _csv_response

ABANDONED_HEADER = [
    "program", "program card", "card", "pet owner", "email", "phone", "punches", "required",
    "last punch", "days without a punch",
]  # fmt: skip


@admin_required
@require_http_methods(["GET"])
def reconciliation(request: HttpRequest) -> HttpResponse:
    run = last_reconcile_run(retailer=request.user.retailer)
    return render(request, "loyalty/books/reconciliation.html", {"run": run})


@admin_required
@require_POST
def reconcile_now(request: HttpRequest) -> HttpResponse:
    run, _ = record_reconcile_run(retailer=request.user.retailer, trigger="screen")
    if run.is_ok:
        messages.success(request, "The books add up: no discrepancies.")
    else:
        messages.error(request, f"{run.discrepancies} discrepancies found; see the list below.")
    return redirect("reconciliation")


def _abandoned_context(request: HttpRequest) -> dict:
    days, error = abandoned.parse_days(request.GET.get("days"))
    context: dict = {"days": request.GET.get("days", abandoned.DEFAULT_DAYS), "error": error}
    if days is not None:
        rows = abandoned.abandoned_cards(
            retailer=request.user.retailer, days=days, at=timezone.now()
        )
        context |= {"days": days, "rows": rows, "groups": abandoned.by_program(rows)}
    return context


@admin_required
def abandoned_cards(request: HttpRequest) -> HttpResponse:
    context = _abandoned_context(request)
    status = 422 if context["error"] else 200
    return render(request, "loyalty/books/abandoned_cards.html", context, status=status)


@admin_required
def abandoned_cards_csv(request: HttpRequest) -> HttpResponse:
    context = _abandoned_context(request)
    if context["error"]:
        return render(request, "loyalty/books/abandoned_cards.html", context, status=422)
    lines = (_abandoned_line(row) for row in context["rows"])
    return _csv_response(ABANDONED_HEADER, lines, f"abandoned-cards-{context['days']}-days.csv")


def _abandoned_line(row: abandoned.AbandonedCard) -> list:
    card, owner = row.card, row.card.owner
    return [
        card.program_card.program.name,
        card.program_card.name,
        card.card_number,
        owner.full_name,
        owner.email,
        owner.phone,
        row.punches,
        card.program_card.purchases_required,
        when(row.last_punch),
        row.days_inactive,
    ]
