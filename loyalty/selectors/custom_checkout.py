"""Reads for the custom-program panel at checkout and the balances on the owner's page.

Each runs a fixed few queries whatever the number of packages or cash back entries (pinned by
tests with 1 and 20 of each); every query is scoped to the visit's or owner's retailer.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q

from loyalty.models import CashBackPlan, PetOwner, PrepaidPackage, PrepaidPlan, Visit
from loyalty.models.programs import ProgramKind
from loyalty.services.cash_back import CashBackStanding, cash_back_standings
from loyalty.services.sales import OPEN_STATES


@dataclass(frozen=True)
class CashBackRow:
    plan: CashBackPlan
    standing: CashBackStanding
    prefill: Decimal | None = None

    @property
    def purchases_left(self) -> int:
        return max(self.plan.purchases_required - self.standing.purchases, 0)

    @property
    def redeemable(self) -> bool:
        return self.purchases_left == 0 and self.standing.accrued > 0


# --- Screens ---------------------------------------------------------------------------------


def packages_with_visits_left(*, owner: PetOwner) -> list[PrepaidPackage]:
    return list(
        PrepaidPackage.objects.filter(
            retailer_id=owner.retailer_id, owner=owner, visits_used__lt=F("visits_total")
        )
        .select_related("plan__program")
        .order_by("sold_at", "id")
    )


def _prefill(visit: Visit, plan: CashBackPlan, standing: CashBackStanding) -> Decimal | None:
    """The visit's subtotal or total per the plan's basis, unless this visit already added one
    (so a second entry of the same sale takes a deliberate typing)."""
    if standing.visit_purchases > 0:
        return None
    amount = visit.total if plan.basis == "total" else visit.subtotal
    return amount if amount is not None and amount > 0 else None


def checkout_panel(*, visit: Visit) -> dict:
    """What the cashier can sell, draw down, add and redeem for the visit's owner."""
    owner = visit.customer
    offers = list(
        PrepaidPlan.objects.filter(
            program__retailer_id=visit.retailer_id,
            program__kind=ProgramKind.PREPAID,
            program__is_active=True,
        )
        .select_related("program")
        .annotate(packages_seen=Count("packages", filter=Q(packages__owner=owner)))
        .order_by("program__name", "id")
    )
    plans = CashBackPlan.objects.filter(
        program__retailer_id=visit.retailer_id, program__kind=ProgramKind.CASH_BACK
    ).select_related("program")
    standings = cash_back_standings(owner=owner, visit=visit)
    cash_back = []
    for plan in sorted(plans, key=lambda plan: (plan.program.name, plan.pk)):
        standing = standings.get(plan.pk, CashBackStanding())
        # An ended program still shows a balance the owner can redeem, but takes no purchases.
        if plan.program.is_active or standing.accrued > 0:
            cash_back.append(CashBackRow(plan, standing, _prefill(visit, plan, standing)))
    return {
        "visit": visit,
        "owner": owner,
        "is_open": visit.state in OPEN_STATES,
        "prepaid_offers": offers,
        "packages": packages_with_visits_left(owner=owner),
        "cash_back": cash_back,
    }


def owner_balances(*, owner: PetOwner) -> dict:
    """Pre-paid visits left and cash back accrued, for the owner's page."""
    standings = cash_back_standings(owner=owner)
    plans = CashBackPlan.objects.filter(
        pk__in=list(standings), program__retailer_id=owner.retailer_id
    ).select_related("program")
    return {
        "owner": owner,
        "packages": packages_with_visits_left(owner=owner),
        "cash_back": [
            CashBackRow(plan, standings[plan.pk])
            for plan in sorted(plans, key=lambda plan: (plan.program.name, plan.pk))
        ],
    }
