"""The checkout screen (SPEC §4 step 4-6): lines, returns, cards, points, Incorrect Customer."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from loyalty.access import (
    admin_required,
    get_distributor,
    get_enrollable_program,
    get_exception_card_for,
    get_visit_for,
    get_visit_line_for,
    retailer_required,
)
from loyalty.errors import DomainError
from loyalty.selectors import checkout as selectors
from loyalty.services import checkout as service
from loyalty.services.sales import add_anyway, ignore_repeat

PAGE = "loyalty/checkout/checkout.html"


def _body(request: HttpRequest, visit, *, status: int = 200, **state) -> HttpResponse:
    """The page, or only its #checkout-body region after an htmx action (DESIGN.md §3).

    `state` says where an error or a confirmation goes (`error_for`: the control that caused
    it), what the cashier typed (kept in the field), and which dialog opens by itself."""
    if not request.htmx and request.method == "GET":
        state.setdefault("show_dialog", "enroll")  # SPEC §2: the enroll prompt pops up on load
    context = selectors.checkout_summary(visit=visit) | selectors.SCREEN_STATE | state
    template = f"{PAGE}#checkout-body" if request.htmx else PAGE
    return render(request, template, context, status=status)


@retailer_required
def checkout(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = get_visit_for(request.user, visit_id)
    return _body(request, visit)


@retailer_required
@require_POST
def line_action(request: HttpRequest, visit_id: int, line_id: int, action: str) -> HttpResponse:
    """Add Anyway, Remove, Remove From Astro FBC, or add an Unknown Item as an exception."""
    visit = get_visit_for(request.user, visit_id)
    line = get_visit_line_for(visit, line_id)
    try:
        if action == "add-anyway":
            add_anyway(line=line)
        elif action == "remove":
            ignore_repeat(line=line)
        elif action == "return":
            service.confirm_return(line=line, cashier=request.user)
        elif action != "exception":
            raise DomainError("Unknown action.")
        else:
            card_id = request.POST.get("program_card", "")
            if not card_id.isdigit():
                raise DomainError("Pick the card to add this item to.")
            try:
                program_card = get_exception_card_for(visit, int(card_id))
            except Http404:
                raise DomainError("That card is not one of this store's programs.") from None
            service.add_as_exception(
                line=line,
                program_card=program_card,
                reason=request.POST.get("reason", ""),
                cashier=request.user,
            )
    except DomainError as exc:
        return _after(
            request,
            visit,
            error=exc.message,
            error_for="line",
            error_line=line.pk,
            exception_reason=request.POST.get("reason", ""),
            exception_card=_int(request.POST.get("program_card", "")),
        )
    return _after(request, visit)


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _after(request: HttpRequest, visit, *, error: str = "", notice: str = "", **state):
    if request.htmx:
        status = 422 if error else 200
        return _body(request, visit, error=error, notice=notice, status=status, **state)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect("checkout", visit.pk)


@retailer_required
@require_POST
def scan(request: HttpRequest, visit_id: int) -> HttpResponse:
    """A UPC scanned (keyboard wedge, ends in Enter) or an item number typed."""
    visit = get_visit_for(request.user, visit_id)
    code = request.POST.get("code", "")
    try:
        service.add_scanned_code(visit=visit, code=code)
    except DomainError as exc:
        # Beside the scan field, with the code kept so the cashier sees what went wrong.
        return _after(request, visit, error=exc.message, error_for="scan", scan_value=code)
    return _after(request, visit, focus="scan")


@retailer_required
@require_POST
def incorrect_customer(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Undo this sale for this owner, unlink the POS customer, and go back to the POS."""
    visit = get_visit_for(request.user, visit_id)
    try:
        service.undo_sale_for_customer(visit=visit, actor=request.user)
    except DomainError as exc:
        return _after(request, visit, error=exc.message, error_for="incorrect")
    target = visit.return_url or visit.owner.get_absolute_url()
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)


@retailer_required
@require_POST
def manage_points(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Manage Loyalty Points (SPEC §2, seed 002): set the points this sale awards, or record an
    adjustment such as -5 with its reason; both audited."""
    visit = get_visit_for(request.user, visit_id)
    if "adjustment" in request.POST:
        return _adjust_points(request, visit)
    raw = request.POST.get("points", "").strip()
    try:
        if not raw.lstrip("-").isdigit():
            raise DomainError("Enter the points as a whole number, e.g. 50 or -5.")
        service.set_visit_points(visit=visit, points=int(raw), actor=request.user)
    except DomainError as exc:
        return _after(
            request, visit, error=exc.message, error_for="points", points_value=raw,
            show_dialog="points",
        )  # fmt: skip
    notice = f"Saved: this sale awards {raw} points."
    return _after(request, visit, notice=notice, notice_for="points")


def _adjust_points(request: HttpRequest, visit) -> HttpResponse:
    raw = request.POST.get("adjustment", "").strip()
    reason = request.POST.get("reason", "")
    try:
        if not raw.lstrip("-+").isdigit():
            raise DomainError("Enter the adjustment as a whole number, e.g. -5 or 20.")
        service.adjust_visit_points(visit=visit, delta=int(raw), reason=reason, actor=request.user)
    except DomainError as exc:
        return _after(
            request, visit, error=exc.message, error_for="adjust", adjust_value=raw,
            adjust_reason=reason, show_dialog="points",
        )  # fmt: skip
    notice = f"Saved: {int(raw):+d} points ({reason.strip()})."
    return _after(request, visit, notice=notice, notice_for="points")


@admin_required
@require_POST
def enroll(request: HttpRequest, visit_id: int) -> HttpResponse:
    """SPEC §2: an admin enrolls the store from the checkout's prompt; the sale's items of the
    program then punch its card."""
    visit = get_visit_for(request.user, visit_id)
    program = get_enrollable_program(_int(request.POST.get("program", "")))
    distributor = get_distributor(_int(request.POST.get("distributor", "")))
    try:
        service.enroll_at_checkout(
            visit=visit,
            program=program,
            distributor=distributor,
            account_number=request.POST.get("account_number", ""),
            actor=request.user,
        )
    except DomainError as exc:
        return _after(
            request, visit, error=exc.message, error_for="enroll", enroll_program=program.pk,
            account_number=request.POST.get("account_number", ""), show_dialog="enroll",
        )  # fmt: skip
    return _after(request, visit, notice=f"Enrolled in {program.name}; the sale's items punch.")
