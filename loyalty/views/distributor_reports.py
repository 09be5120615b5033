"""Redemption Reports (SPEC §6): each report's state, filters, re-send, CSV export. Admins only."""

from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from loyalty.access import admin_required, get_distributor_report_for
from loyalty.errors import DomainError
from loyalty.forms.reports import ResubmitForm
from loyalty.presentation import spreadsheet
from loyalty.presentation.text import when
from loyalty.selectors.credit_totals import money_by_distributor, totals_by_state
from loyalty.selectors.distributor_reports import (
    ReportFilters,
    filter_choices,
    redemption_reports,
    report_history,
)
from loyalty.services.distributor_reports.credits import resubmit_report
from loyalty.services.distributor_reports.outbox import resend_report

PAGE = "loyalty/distributor_reports/redemption_reports.html"
CSV_HEADER = [
    "created", "kind", "program", "card", "item", "owner", "owner email", "owner address",
    "distributor", "account number", "location", "state", "attempts", "last error", "sent",
    "revision", "decline reason", "credited",
]  # fmt: skip
RESUBMIT_PAGE = "loyalty/distributor_reports/resubmit.html"


def _filters(query) -> tuple[ReportFilters, list[str]]:
    """The GET form as filters, and a message for each value that makes no sense."""
    errors: list[str] = []

    def day(name: str) -> date | None:
        raw = query.get(name, "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors.append(f"“{raw}” is not a date: use YYYY-MM-DD.")
            return None

    def number(name: str) -> int | None:
        raw = query.get(name, "").strip()
        return int(raw) if raw.isdigit() else None

    program = query.get("program", "").strip()
    offer_id = program.removeprefix("offer-")  # the Program select lists offers as "offer-<id>"
    filters = ReportFilters(
        since=day("since"),
        until=day("until"),
        program_id=number("program"),
        offer_id=int(offer_id) if program.startswith("offer-") and offer_id.isdigit() else None,
        distributor_id=number("distributor"),
        location_id=number("location"),
        state=query.get("state", ""),
    )
    return filters, errors


@admin_required
def redemption_reports_page(request: HttpRequest) -> HttpResponse:
    filters, errors = _filters(request.GET)
    reports = redemption_reports(retailer=request.user.retailer, filters=filters)
    if request.GET.get("export") == "csv":
        return _csv(reports)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "errors": errors,
        "query": request.GET,
        "totals": totals_by_state(reports=reports),
        "money": money_by_distributor(reports=reports),
        **filter_choices(retailer=request.user.retailer),
    }
    template = f"{PAGE}#report-table" if request.htmx else PAGE
    return render(request, template, context)


@admin_required
@require_POST
def resend(request: HttpRequest, report_id) -> HttpResponse:
    report = get_distributor_report_for(request.user, report_id)
    error = ""
    try:
        report = resend_report(report=report, actor=request.user)
    except DomainError as exc:
        error = exc.message
    context = {"report": report, "row_error": error}
    return render(request, f"{PAGE}#report-row", context, status=422 if error else 200)


@admin_required
def resubmit(request: HttpRequest, report_id) -> HttpResponse:
    """SPEC §6: fix what the distributor declined a claim for, and send it again."""
    report = get_distributor_report_for(request.user, report_id)
    form = ResubmitForm(request.POST or None, report=report)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            resubmit_report(report=report, actor=request.user, correction=form.correction())
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(f"{reverse('redemption_reports')}#report-{report.pk}")
    context = {"report": report, "form": form, "error": error}
    context["history"] = report_history(report=report)
    status = 422 if error or form.errors else 200
    return render(request, RESUBMIT_PAGE, context, status=status)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(reports) -> StreamingHttpResponse:
    writer = spreadsheet.writer(_Echo())
    zone = timezone.get_current_timezone()

    def rows():
        yield writer.writerow(CSV_HEADER)
        for report in _in_zone(zone, reports.iterator(chunk_size=500)):
            yield writer.writerow(
                [
                    when(report.created_at),  # the store's local time, as on screen
                    report.get_kind_display(),
                    *(_offer_cells(report) if report.offer_redemption_id else _card_cells(report)),
                    report.distributor.name,
                    report.account_number,
                    _location_name(report),
                    report.get_state_display(),
                    report.attempts,
                    report.last_error,
                    when(report.sent_at),
                    report.revision,
                    report.get_decline_reason_display(),
                    report.credit_amount if report.credit_amount is not None else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="redemption-reports.csv"'
    return response


def _in_zone(zone, items):
    """Streamed after the request's middleware has finished: keep the store's time zone."""
    with timezone.override(zone):
        yield from items


def _card_cells(report) -> list[str]:
    """Program, card, item, owner, email and address, as the manufacturer requires them."""
    redemption = report.redemption
    card, owner = redemption.card, redemption.card.owner
    return [
        card.program_card.program.name,
        card.card_number,
        redemption.item.description,
        owner.full_name,
        owner.email if card.program_card.requires_email else "",
        _address(owner) if card.program_card.requires_address else "",
    ]


def _offer_cells(report) -> list[str]:
    """An offer has no card; offers ask only for the owner's name."""
    applied = report.offer_redemption
    return [applied.offer.name, "", report.offer_item or "", applied.owner.full_name, "", ""]


def _location_name(report) -> str:
    applied = report.offer_redemption or report.redemption
    return applied.location.name if applied.location else ""


def _address(owner) -> str:
    parts = [owner.address_line, owner.city, owner.state, owner.postal_code]
    return ", ".join(part for part in parts if part)
