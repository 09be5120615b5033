"""The custom-program panel at checkout (SPEC §2): sell a pre-paid package, use one visit, add a
cash back purchase, redeem cash back. Cashiers and admins alike: these are checkout actions.

The panel and the owner page's balances load in their own request (the pages include an empty
region), so the checkout and owner views stay as they are. Each action re-renders only the
panel's region (#custom-checkout) for htmx, and goes back to the checkout screen otherwise.
"""

import re
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from loyalty import access
from loyalty.access import get_owner_for, get_visit_for, retailer_required
from loyalty.errors import DomainError
from loyalty.selectors import custom_checkout as selectors
from loyalty.services import cash_back, prepaid
from loyalty.services.prepaid import AlreadyRecorded

PANEL = "loyalty/custom_checkout/_panel.html#custom-checkout-panel"
BALANCES = "loyalty/custom_checkout/_balances.html#custom-balances"
MONEY = re.compile(r"\d{1,9}(\.\d{1,2})?")
OUT_OF_DATE = "This screen is out of date. Reload the page and try again."


def _panel(request: HttpRequest, visit, *, status: int = 200, **extra) -> HttpResponse:
    if not request.htmx:
        text = extra.get("error") or extra.get("notice")
        if text:
            (messages.error if extra.get("error") else messages.success)(request, text)
        return redirect("checkout", visit.pk)
    # The panel is collapsed on the checkout; it stays open after one of its own actions.
    context = selectors.checkout_panel(visit=visit) | {"expanded": request.method == "POST"}
    return render(request, PANEL, context | extra, status=status)


@retailer_required
def panel(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = get_visit_for(request.user, visit_id)
    return _panel(request, visit)


@retailer_required
def balances(request: HttpRequest, owner_id: int) -> HttpResponse:
    """Pre-paid visits left and cash back accrued, for the owner's page."""
    owner = get_owner_for(request.user, owner_id)
    if not request.htmx:
        return redirect(owner.get_absolute_url())
    return render(request, BALANCES, selectors.owner_balances(owner=owner))


def _seen(request: HttpRequest, name: str) -> int:
    """The version of the state the cashier's screen showed (see services/prepaid.py)."""
    raw = request.POST.get(name, "")
    if not raw.isdigit():
        raise DomainError(OUT_OF_DATE)
    return int(raw)


def _amount(raw: str) -> Decimal:
    """Dollars as a cashier types them: 54.99, $54.99, 1,054.99 or 20."""
    text = raw.strip().removeprefix("$").replace(",", "")
    if not MONEY.fullmatch(text):
        raise DomainError("Enter the purchase amount in dollars, e.g. 54.99.")
    return Decimal(text)


def _run(request: HttpRequest, visit, action, **extra) -> HttpResponse:
    """Do the action; a refusal re-renders the panel with its reason and changes nothing."""
    try:
        notice = action()
    except AlreadyRecorded as exc:
        return _panel(request, visit, notice=exc.message)
    except DomainError as exc:
        return _panel(request, visit, error=exc.message, status=422, **extra)
    return _panel(request, visit, notice=notice)


@retailer_required
@require_POST
def sell_package(request: HttpRequest, visit_id: int, plan_id: int) -> HttpResponse:
    visit = get_visit_for(request.user, visit_id)
    plan = access.get_prepaid_plan_for(visit, plan_id)

    def sell() -> str:
        package = prepaid.sell_package(
            visit=visit,
            plan=plan,
            packages_seen=_seen(request, "packages_seen"),
            cashier=request.user,
        )
        return (
            f"Sold {plan.program.name}: {package.visits_total} visits. "
            f"Ring up ${plan.price:,} for it in the POS."
        )

    return _run(request, visit, sell)


@retailer_required
@require_POST
def use_visit(request: HttpRequest, visit_id: int, package_id: int) -> HttpResponse:
    visit = get_visit_for(request.user, visit_id)
    package = access.get_package_for(visit, package_id)

    def use() -> str:
        prepaid.use_visit(
            visit=visit,
            package=package,
            used_seen=_seen(request, "used_seen"),
            cashier=request.user,
        )
        used = access.get_package_for(visit, package.pk)  # the count after this use
        return f"One {used.plan.program.name} visit used: {used.visits_left} left."

    return _run(request, visit, use)


@retailer_required
@require_POST
def add_cash_back(request: HttpRequest, visit_id: int, plan_id: int) -> HttpResponse:
    visit = get_visit_for(request.user, visit_id)
    plan = access.get_cash_back_plan_for(visit, plan_id)
    entered = request.POST.get("amount", "")

    def add() -> str:
        entry = cash_back.add_purchase(
            visit=visit,
            plan=plan,
            amount=_amount(entered),
            entries_seen=_seen(request, "entries_seen"),
            cashier=request.user,
        )
        return f"Added a ${entry.purchase_amount:,} purchase: ${entry.amount:,} cash back."

    # A refused amount stays in the field for the cashier to correct.
    return _run(request, visit, add, entered_plan_id=plan.pk, entered_amount=entered)


@retailer_required
@require_POST
def redeem_cash_back(request: HttpRequest, visit_id: int, plan_id: int) -> HttpResponse:
    visit = get_visit_for(request.user, visit_id)
    plan = access.get_cash_back_plan_for(visit, plan_id)

    def redeem() -> str:
        entry = cash_back.redeem(
            visit=visit,
            plan=plan,
            entries_seen=_seen(request, "entries_seen"),
            cashier=request.user,
        )
        return f"Redeemed ${-entry.amount:,} cash back."  # the panel says the discount to apply

    return _run(request, visit, redeem)
