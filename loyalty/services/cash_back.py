"""Cash Back at checkout (SPEC §2): the cashier adds qualifying purchases by hand, each accrues
a percentage; after the plan's number of purchases the accrued amount is redeemed at once.

Astro never changes a sale's price: a redemption tells the cashier the discount to apply in
the POS. Like pre-paid (services/prepaid.py), each action carries the number of entries the
cashier's screen showed, so a double click or a replayed POST changes nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from loyalty.errors import DomainError
from loyalty.models import CashBackEntry, CashBackPlan, PetOwner, User, Visit
from loyalty.rules.cash_back import CENT, ZERO, cash_back_for, is_redeemable

from .audit import record_audit
from .cards import lock_owner
from .prepaid import AlreadyRecorded
from .sales import check_visit_open

# A purchase above this is almost surely a typing slip (5499 for 54.99).
MAX_PURCHASE = Decimal("100000.00")


@dataclass(frozen=True)
class CashBackStanding:
    """One owner's cash back on one plan."""

    accrued: Decimal = ZERO
    purchases: int = 0  # purchases since the last redemption: what "after N purchases" counts
    entries: int = 0  # every entry ever: the version a screen carries
    visit_purchases: Decimal = ZERO  # purchases added during the given visit
    visit_redeemed: Decimal = ZERO  # redeemed during the given visit (a positive amount)


def cash_back_standings(
    *, owner: PetOwner, visit: Visit | None = None, plan_ids: Iterable[int] | None = None
) -> dict[int, CashBackStanding]:
    """The owner's standing per plan id, in one query whatever the number of entries."""
    last_redemption = CashBackEntry.objects.filter(
        owner=owner, plan=OuterRef("plan"), amount__lt=0
    ).order_by("-id")
    since_last = Q(amount__gt=0, id__gt=Coalesce(Subquery(last_redemption.values("id")[:1]), 0))
    totals = {
        "accrued": Sum("amount"),
        "purchases": Count("id", filter=since_last),
        "entries": Count("id"),
    }
    if visit is not None:
        in_visit = Q(visit=visit)
        totals["visit_purchases"] = Sum("purchase_amount", filter=in_visit & Q(amount__gte=0))
        totals["visit_redeemed"] = Sum("amount", filter=in_visit & Q(amount__lt=0))
    entries = CashBackEntry.objects.filter(retailer_id=owner.retailer_id, owner=owner)
    if plan_ids is not None:
        entries = entries.filter(plan_id__in=list(plan_ids))
    # The totals are named at run time, which the stubs cannot follow: plain dicts here.
    rows = cast("Iterable[dict[str, Any]]", entries.values("plan_id").annotate(**totals).order_by())
    return {
        row["plan_id"]: CashBackStanding(
            accrued=_cents(row["accrued"]),
            purchases=row["purchases"],
            entries=row["entries"],
            visit_purchases=_cents(row.get("visit_purchases")),
            visit_redeemed=abs(_cents(row.get("visit_redeemed"))),
        )
        for row in rows
    }


def _cents(total: Decimal | None) -> Decimal:
    """A sum of money in cents (SQLite sums decimals to long floats-as-decimals)."""
    return (total or ZERO).quantize(CENT)


def _locked_standing(
    *, visit: Visit, plan: CashBackPlan, entries_seen: int
) -> tuple[PetOwner, CashBackStanding]:
    """Lock the owner (two presses queue) and refuse a press made on an out-of-date screen."""
    check_visit_open(visit)
    program = plan.program
    if program.retailer_id != visit.retailer_id:
        raise DomainError("That program belongs to another store.")
    owner = lock_owner(visit.customer)
    standing = cash_back_standings(owner=owner, plan_ids=[plan.pk]).get(plan.pk, CashBackStanding())
    if standing.entries != entries_seen:
        raise AlreadyRecorded(
            "Nothing changed: this cash back changed since this screen was shown (a second "
            "press or another tab). Check the balance below and try again only if needed."
        )
    return owner, standing


@transaction.atomic
def add_purchase(
    *, visit: Visit, plan: CashBackPlan, amount: Decimal, entries_seen: int, cashier: User
) -> CashBackEntry:
    """A qualifying purchase added by hand accrues the plan's percentage of it."""
    if not plan.program.is_active:
        raise DomainError(f"{plan.program.name} has ended: new purchases no longer accrue.")
    if not (
        amount.is_finite() and ZERO < amount <= MAX_PURCHASE and amount == amount.quantize(CENT)
    ):
        raise DomainError(f"Enter the purchase amount in dollars, from 0.01 to {MAX_PURCHASE:,}.")
    amount = amount.quantize(CENT)  # 20 is $20.00
    earned = cash_back_for(amount=amount, percent=plan.percent)
    if earned <= 0:
        raise DomainError(f"${amount} earns less than one cent of cash back; nothing was added.")
    owner, _standing = _locked_standing(visit=visit, plan=plan, entries_seen=entries_seen)
    entry = CashBackEntry.objects.create(
        retailer=visit.retailer,
        owner=owner,
        plan=plan,
        amount=earned,
        purchase_amount=amount,
        visit=visit,
        created_by=cashier,
    )
    record_audit(
        retailer=visit.retailer,
        actor=cashier,
        action="cash_back.accrued",
        target=entry,
        data={"visit": visit.pk, "purchase": str(amount), "cash_back": str(earned)},
    )
    return entry


@transaction.atomic
def redeem(*, visit: Visit, plan: CashBackPlan, entries_seen: int, cashier: User) -> CashBackEntry:
    """Redeem everything accrued (a negative entry), once the plan's purchases are made."""
    owner, standing = _locked_standing(visit=visit, plan=plan, entries_seen=entries_seen)
    if standing.accrued <= 0:
        raise DomainError("There is no cash back to redeem yet.")
    if not is_redeemable(
        purchases=standing.purchases, required=plan.purchases_required, accrued=standing.accrued
    ):
        left = plan.purchases_required - standing.purchases
        raise DomainError(
            f"Cash back can be redeemed after {plan.purchases_required} purchases; "
            f"{left} more to go."
        )
    entry = CashBackEntry.objects.create(
        retailer=visit.retailer,
        owner=owner,
        plan=plan,
        amount=-standing.accrued,  # all of it, never more: the balance comes back to 0.00
        visit=visit,
        created_by=cashier,
    )
    record_audit(
        retailer=visit.retailer,
        actor=cashier,
        action="cash_back.redeemed",
        target=entry,
        data={"visit": visit.pk, "discount": str(standing.accrued)},
    )
    return entry
