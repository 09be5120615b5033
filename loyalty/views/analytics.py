"""Reports (SPEC §7): redemption history, custom program participation, points ledger. Admins only.

Filters are a GET form; htmx re-renders only the results region, and without JavaScript the same
form reloads the page. A filter that makes no sense shows a message and no numbers.
"""

from collections.abc import Iterable
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from loyalty.access import admin_required, get_owner_for
from loyalty.models import Card, Item
from loyalty.presentation import spreadsheet
from loyalty.presentation.text import when
from loyalty.selectors import analytics as queries
from loyalty.selectors.owners import search_owners
from loyalty.services.points import points_balance

TEMPLATES = "loyalty/analytics/"
PAGE_SIZE = 100
REDEMPTION_HEADER = [
    "redeemed at", "reward id", "pet owner", "program", "program card", "card", "item",
    "item code", "location", "cashier",
]  # fmt: skip
PARTICIPATION_HEADER = [
    "program", "kind", "participants", "punches", "cards completed", "redemptions",
    "pre-paid packages sold", "pre-paid visits used", "cash back accrued", "cash back redeemed",
]  # fmt: skip
LEDGER_HEADER = ["date", "kind", "points", "balance", "note", "who", "location"]


def _read_filters(request: HttpRequest, **choices: list) -> tuple:
    """Filters from the GET form, checked against what this store owns (SPEC §1)."""
    filters, errors = queries.parse_filters(request.GET, today=timezone.localdate())
    if filters is not None:
        chosen = {
            "programs": filters.program_id,
            "locations": filters.location_id,
            "distributors": filters.distributor_id,
        }
        for name, options in choices.items():
            if chosen[name] and chosen[name] not in {option.pk for option in options}:
                errors.append(
                    f"That {name[:-1]} is not one of your {name}, so there is nothing to show."
                )
        if errors:
            filters = None
    return filters, errors


def _form_values(request: HttpRequest, filters) -> dict:
    """What the form shows: what was typed, or the defaults that were used."""
    fields = ("start", "end", "program", "location", "distributor")
    values = {key: request.GET.get(key, "") for key in fields}
    if filters is not None:
        values["start"], values["end"] = filters.start.isoformat(), filters.end.isoformat()
    return values


def _query_without_page(request: HttpRequest) -> str:
    query: QueryDict = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    status = 422 if context.get("errors") else 200
    name = f"{TEMPLATES}{template}"
    # Back/forward after hx-push-url asks for the whole page again, not the region.
    partial = request.htmx and not request.htmx.history_restore_request
    return render(request, f"{name}#results" if partial else name, context, status=status)


def _csv_response(header: list[str], rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    writer = spreadsheet.writer(_Echo())
    zone = timezone.get_current_timezone()

    def lines():
        # Streamed after the request's middleware has finished: keep the store's zone.
        with timezone.override(zone):
            yield from (writer.writerow(row) for row in _with_header(header, rows))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _with_header(header: list[str], rows: Iterable[list]) -> Iterable[list]:
    yield header
    yield from rows


class _Echo:
    """csv.writer writes into this and gets the line back, so nothing accumulates."""

    def write(self, value: str) -> str:
        return value


# --- Redemption history ----------------------------------------------------------------------


def _redemption_context(request: HttpRequest) -> dict:
    retailer = request.user.retailer
    programs = queries.store_programs(retailer=retailer)
    locations = queries.store_locations(retailer=retailer)
    distributors = queries.store_distributors(retailer=retailer)
    filters, errors = _read_filters(
        request, programs=programs, locations=locations, distributors=distributors
    )
    return {
        "filters": filters,
        "errors": errors,
        "values": _form_values(request, filters),
        "programs": programs,
        "locations": locations,
        "distributors": distributors,
        "query": _query_without_page(request),
    }


@admin_required
def report_redemptions(request: HttpRequest) -> HttpResponse:
    context = _redemption_context(request)
    filters = context["filters"]
    if filters is not None:
        retailer = request.user.retailer
        rows = queries.redemption_rows(retailer=retailer, filters=filters)
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context["report"] = queries.redemption_report(retailer=retailer, filters=filters)
    return _render(request, "redemptions.html", context)


@admin_required
def report_redemptions_csv(request: HttpRequest) -> HttpResponse:
    context = _redemption_context(request)
    if context["filters"] is None:
        return _render(request, "redemptions.html", context)
    filters = context["filters"]
    rows = queries.redemption_export(retailer=request.user.retailer, filters=filters)
    lines = (_redemption_line(row) for row in rows)
    return _csv_response(
        REDEMPTION_HEADER, lines, f"redemptions-{filters.start}-to-{filters.end}.csv"
    )


def _redemption_line(row) -> list[str]:
    """One CSV line from the plain values of loyalty.selectors.analytics.EXPORT_FIELDS.

    Card numbers and UPCs are formatted by the models' own properties, applied to the values,
    so the file reads like the screen without building two model instances per row.
    """
    return [
        _local(row.redeemed_at),
        row.reward_id,
        f"{row.card__owner__first_name} {row.card__owner__last_name}".strip(),
        row.card__program_card__program__name,
        row.card__program_card__name,
        Card.card_number.fget(SimpleNamespace(pk=row.card_id)),
        row.item__description,
        Item.upc.fget(SimpleNamespace(gtin=row.item__gtin)) or row.item__item_number,
        row.location__name or "",
        f"{row.cashier__first_name or ''} {row.cashier__last_name or ''}".strip()
        or (row.cashier__username or ""),
    ]


def _local(moment) -> str:
    return when(moment)  # one date style, the store's local time, on screens and in CSVs


def _user_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _entry_author(entry) -> str:
    """Who made the change: the user who adjusted it, else the cashier of the sale."""
    if entry.created_by_id:
        return _user_name(entry.created_by)
    if entry.visit_id and entry.visit.cashier_id:
        return _user_name(entry.visit.cashier)
    return "POS sale" if entry.visit_id else ""


# --- Custom Program Participation -----------------------------------------------------------


def _participation_context(request: HttpRequest) -> dict:
    retailer = request.user.retailer
    programs = queries.custom_programs(retailer=retailer)
    locations = queries.store_locations(retailer=retailer)
    filters, errors = _read_filters(request, programs=programs, locations=locations)
    context = {
        "filters": filters,
        "errors": errors,
        "values": _form_values(request, filters),
        "programs": programs,
        "locations": locations,
        "query": _query_without_page(request),
    }
    if filters is not None:
        shown = [p for p in programs if not filters.program_id or p.pk == filters.program_id]
        rows, moves = queries.participation_report(
            retailer=retailer, filters=filters, programs=shown
        )
        context |= {"rows": rows, "report": moves}
    return context


@admin_required
def report_participation(request: HttpRequest) -> HttpResponse:
    return _render(request, "participation.html", _participation_context(request))


@admin_required
def report_participation_csv(request: HttpRequest) -> HttpResponse:
    context = _participation_context(request)
    filters = context["filters"]
    if filters is None:
        return _render(request, "participation.html", context)
    rows = (_participation_line(row) for row in context["rows"])
    filename = f"custom-program-participation-{filters.start}-to-{filters.end}.csv"
    return _csv_response(PARTICIPATION_HEADER, rows, filename)


def _participation_line(row) -> list:
    """Blank where a column does not apply to the program's kind, as on the screen."""
    punch_card = [row.punches, row.cards_completed, row.redemptions]
    prepaid = ["" if row.packages_sold is None else row.packages_sold, row.visits_used]
    cash_back = [row.cash_back_accrued, row.cash_back_redeemed]
    return [
        row.program.name,
        row.program.get_kind_display(),
        row.participants,
        *(punch_card if row.is_punch_card else [""] * 3),
        *(prepaid if row.is_prepaid else [""] * 2),
        *(cash_back if row.is_cash_back else [""] * 2),
    ]


# --- Points ledger ---------------------------------------------------------------------------


@admin_required
def points_ledger_search(request: HttpRequest) -> HttpResponse:
    """Find the owner whose ledger to open (the Reports side of the points ledger)."""
    text = request.GET.get("q", "").strip()
    owners = search_owners(retailer=request.user.retailer, text=text) if text else []
    context = {"q": text, "owners": owners}
    return _render(request, "ledger_search.html", context)


@admin_required
def points_ledger(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner = get_owner_for(request.user, owner_id)
    entries = queries.points_ledger(owner=owner)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.author = _entry_author(entry)
    context = {"owner": owner, "page": page, "balance": points_balance(owner)}
    return render(request, f"{TEMPLATES}points_ledger.html", context)


@admin_required
def points_ledger_csv(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner = get_owner_for(request.user, owner_id)
    rows = (
        [
            _local(entry.created_at),
            entry.get_kind_display(),
            entry.points,
            entry.balance,
            entry.note,
            _entry_author(entry),
            entry.visit.location.name if entry.visit_id and entry.visit.location_id else "",
        ]
        for entry in queries.points_ledger(owner=owner).iterator(chunk_size=2000)
    )
    return _csv_response(LEDGER_HEADER, rows, f"points-ledger-{owner.pk}.csv")
