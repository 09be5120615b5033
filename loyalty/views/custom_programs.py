"""My Custom Programs (SPEC §2): list, create, edit, deactivate/reactivate, live card preview.
Admins only; a cashier gets 403, another store's program 404."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from loyalty import access
from loyalty.access import admin_required
from loyalty.forms.custom_programs.base import ProgramForm
from loyalty.forms.custom_programs.buy_x_get_y import BuyXGetYForm
from loyalty.forms.custom_programs.kinds import FORMS, KIND_SLUGS, initial_for
from loyalty.models.programs import ProgramKind, RewardKind
from loyalty.selectors.custom_programs import program_rows
from loyalty.services import custom_programs as service

LIST = "loyalty/custom_programs/list.html"
FORM = "loyalty/custom_programs/form.html"
KIND_INTROS = {
    ProgramKind.BUY_X_GET_Y: "A punch card: after X qualifying purchases the customer gets a "
    "free item or service, or a discount. The item numbers and UPCs are what your POS rings up, "
    "so sales punch the card by themselves.",
    ProgramKind.PREPAID: "The customer pays for a package of visits up front and gets bonus "
    "visits on top. The cashier draws one visit down at each use; the balance shows at checkout.",
    ProgramKind.CASH_BACK: "A percent of each qualifying sale is saved for the customer, to be "
    "redeemed after a number of purchases. The cashier adds the purchases at checkout.",
}


def card_preview(form: BuyXGetYForm) -> dict:
    """What the live preview shows for the form as typed so far (nothing is saved)."""
    form.is_valid()
    data, errors = form.cleaned_data, form.errors
    purchases = data.get("purchases_required")
    qualifying = data.get("qualifying_codes") or []
    redeemable = data.get("redeemable_codes") or []
    described = {entry.key: entry.description for entry in qualifying if entry.description}
    if data.get("reward_kind") == RewardKind.DISCOUNT_ITEM:
        amount = data.get("discount_amount")
        reward = f"Get ${amount} off" if amount else "Get a discount"
    else:
        names = ", ".join(
            entry.description or described.get(entry.key) or entry.code for entry in redeemable[:3]
        )
        reward = f"Get 1 free: {names}" if names else "Get 1 free"
    return {
        "name": data.get("name") or form.data.get("name", "").strip() or "Your program",
        "description": data.get("description", ""),
        "purchases": purchases,
        "purchases_problem": errors.get("purchases_required", [""])[0],
        "slots": range(min(purchases or 0, service.CASHIER_CARD_LIMIT)),
        "reward": reward,
        "limit": form.limit,
    }


def _lists(request: HttpRequest) -> dict:
    rows = program_rows(retailer=request.user.retailer)
    return {
        "active": [row for row in rows if row[0].is_active],
        "inactive": [row for row in rows if not row[0].is_active],
        "kinds": [(slug, ProgramKind(kind).label) for slug, kind in KIND_SLUGS.items()],
    }


@admin_required
def program_list(request: HttpRequest) -> HttpResponse:
    template = f"{LIST}#program-lists" if request.htmx else LIST
    return render(request, template, _lists(request))


def _form_page(request: HttpRequest, form: ProgramForm, kind: str, program=None) -> HttpResponse:
    context = {
        "form": form,
        "kind": kind,
        "kind_label": ProgramKind(kind).label,
        "intro": KIND_INTROS[kind],
        "program": program,
        "picture_lost": bool(request.FILES.get("picture")) and form.is_bound,
    }
    if isinstance(form, BuyXGetYForm):
        context["preview"] = card_preview(_preview_form(request, form, program))
    return render(request, FORM, context)


def _preview_form(request: HttpRequest, form: BuyXGetYForm, program) -> BuyXGetYForm:
    """The preview of the form as shown: the data typed, or the saved program's values."""
    data = form.data if form.is_bound else {k: v for k, v in form.initial.items() if k != "picture"}
    return BuyXGetYForm(data, retailer=request.user.retailer, program=program)


@admin_required
def program_create(request: HttpRequest, kind: str) -> HttpResponse:
    program_kind = KIND_SLUGS.get(kind)
    if program_kind is None:
        raise Http404("There is no such kind of program.")
    form_class = FORMS[program_kind]
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = form_class(*data, retailer=request.user.retailer)
    if form.is_bound and form.is_valid():
        program = service.create_program(
            retailer=request.user.retailer,
            actor=request.user,
            kind=program_kind,
            details=form.details(),
            terms=form.terms(),
        )
        messages.success(request, f"{program.name} is saved and counts from the next sale.")
        return redirect("custom_programs")
    return _form_page(request, form, program_kind)


@admin_required
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access.get_custom_program_for(request.user, program_id)
    form_class = FORMS[program.kind]
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = form_class(
        *data, retailer=request.user.retailer, program=program, initial=initial_for(program)
    )
    if form.is_bound and form.is_valid():
        program = service.update_program(
            program=program, actor=request.user, details=form.details(), terms=form.terms()
        )
        messages.success(
            request, f"Changes to {program.name} are saved; they apply from the next sale."
        )
        return redirect("custom_programs")
    return _form_page(request, form, program.kind, program)


@admin_required
@require_POST
def program_toggle(request: HttpRequest, program_id: int) -> HttpResponse:
    """Deactivate or reactivate. The form says which, so a double click cannot undo itself."""
    program = access.get_custom_program_for(request.user, program_id)
    active = request.POST.get("active") == "1"
    program = service.set_active(program=program, actor=request.user, active=active)
    if active:
        notice = f"{program.name} is active again: sales punch its cards."
    else:
        notice = (
            f"{program.name} is deactivated: new sales no longer count; owners keep their cards."
        )
    if request.htmx:
        context = _lists(request) | {"notice": notice}
        return render(request, f"{LIST}#program-lists", context)
    messages.success(request, notice)
    return redirect("custom_programs")


@admin_required
@require_POST
def program_preview(request: HttpRequest) -> HttpResponse:
    """The live card preview for the Buy X Get Y form as typed; nothing is saved."""
    form = BuyXGetYForm(request.POST, retailer=request.user.retailer)
    return render(request, f"{FORM}#card-preview", {"preview": card_preview(form)})
