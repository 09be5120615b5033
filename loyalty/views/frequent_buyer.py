"""Frequent Buyer (SPEC §2): available manufacturer programs, their details, enrollment. Admins."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from loyalty import access
from loyalty.access import admin_required
from loyalty.errors import DomainError
from loyalty.forms.catalog import EnrollForm, ProgramFilterForm
from loyalty.presentation import spreadsheet
from loyalty.selectors import catalog as selectors
from loyalty.services.enrollment import enroll_program, unenroll_program

LIST_PAGE = "loyalty/frequent_buyer/programs.html"
DETAIL_PAGE = "loyalty/frequent_buyer/detail.html"
CSV_HEADER = ["UPC", "Item number", "Description", "Brand", "Size", "Card", "Qualifying/Redeemable"]


@admin_required
def available_programs(request: HttpRequest) -> HttpResponse:
    form = ProgramFilterForm(request.GET, choices=selectors.program_filter_choices())
    programs = selectors.available_programs(retailer=request.user.retailer, filters=form.filters())
    context = {"form": form, "programs": programs, "problems": form.problems()}
    template = f"{LIST_PAGE}#program-list" if request.htmx else LIST_PAGE
    return render(request, template, context)


def _enrollment_context(request: HttpRequest, program, form: EnrollForm | None = None) -> dict:
    retailer = request.user.retailer
    return {
        "program": program,
        "enrollments": selectors.program_enrollments(retailer=retailer, program=program),
        "form": form or EnrollForm(program=program, retailer=retailer),
    }


@admin_required
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access.get_program_for(request.user, program_id)
    context = _enrollment_context(request, program) | {
        "cards": selectors.program_cards(program=program)
    }
    return render(request, DETAIL_PAGE, context)


@admin_required
def program_items_csv(request: HttpRequest, program_id: int) -> HttpResponse:
    """The product and barcode list, for the store's shelves and its POS."""
    program = access.get_program_for(request.user, program_id)
    response = HttpResponse(content_type="text/csv")
    filename = f"{slugify(program.name) or 'program'}-items.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = spreadsheet.writer(response)
    writer.writerow(CSV_HEADER)
    writer.writerows(selectors.program_item_rows(program=program))
    return response


@admin_required
@require_POST
def program_enroll(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access.get_program_for(request.user, program_id)
    form = EnrollForm(request.POST, program=program, retailer=request.user.retailer)
    if form.is_valid():
        try:
            enrollment = enroll_program(
                retailer=request.user.retailer,
                program=program,
                distributor=form.cleaned_data["distributor"],
                account_number=form.cleaned_data["account_number"],
                location=form.cleaned_data.get("location"),
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _enrolled(request, program, enrollment)
    if request.htmx:
        context = _enrollment_context(request, program, form)
        return render(request, f"{DETAIL_PAGE}#enrollment", context, status=422)
    context = _enrollment_context(request, program, form)
    context["cards"] = selectors.program_cards(program=program)
    return render(request, DETAIL_PAGE, context, status=422)


def _enrolled(request: HttpRequest, program, enrollment) -> HttpResponse:
    where = enrollment.location.name if enrollment.location else "The whole account"
    note = f"{where} is now enrolled in {program.name}. Its items punch cards from the next sale."
    if released := getattr(enrollment, "released_reports", 0):
        goes = "report now goes" if released == 1 else "reports now go"
        note += f" {released} held redemption {goes} to {enrollment.distributor.name}."
    if request.htmx:
        context = _enrollment_context(request, program) | {"success": note}
        return render(request, f"{DETAIL_PAGE}#enrollment", context)
    messages.success(request, note)
    return redirect("program_detail", program.pk)


@admin_required
@require_http_methods(["GET", "POST"])
def program_unenroll(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """GET asks to confirm; POST ends the enrollment (audited)."""
    enrollment = access.get_enrollment_for(request.user, enrollment_id)
    program = enrollment.program
    if request.method == "POST":
        try:
            unenroll_program(enrollment=enrollment, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            where = enrollment.location.name if enrollment.location else "The whole account"
            messages.success(request, f"{where} is no longer enrolled in {program.name}.")
        return redirect("program_detail", program.pk)
    context = {
        "enrollment": enrollment,
        "program": program,
        "complete_cards": selectors.complete_cards_waiting(enrollment=enrollment),
    }
    return render(request, "loyalty/frequent_buyer/unenroll.html", context)
