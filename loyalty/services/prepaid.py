"""Pre-Paid Membership at checkout (SPEC §2): sell a package, draw one visit down per use.

Astro never takes the money: selling a package records it, and the cashier rings the price up
in the POS. Each action carries what the cashier's screen showed (a version of the state it
changes); when the state has moved on, the press was a double click, a replayed POST or another
tab, and nothing changes.
"""

from django.db import transaction
from django.db.models import F

from loyalty.errors import DomainError
from loyalty.models import PrepaidPackage, PrepaidPlan, PrepaidUse, User, Visit

from .audit import record_audit
from .cards import lock_owner
from .sales import check_visit_open


class AlreadyRecorded(DomainError):
    """The screen was out of date: the same press already happened, so nothing changed."""


@transaction.atomic
def sell_package(
    *, visit: Visit, plan: PrepaidPlan, packages_seen: int, cashier: User
) -> PrepaidPackage:
    """One package of the plan for the visit's owner: visits plus bonus visits (SPEC §2).

    `packages_seen` is how many packages of this plan the owner had on the cashier's screen.
    """
    check_visit_open(visit)
    program = plan.program
    if program.retailer_id != visit.retailer_id:
        raise DomainError("That program belongs to another store.")
    if not program.is_active:
        raise DomainError(f"{program.name} is no longer offered, so it cannot be sold.")
    owner = lock_owner(visit.customer)  # two presses for one owner queue here
    if PrepaidPackage.objects.filter(owner=owner, plan=plan).count() != packages_seen:
        raise AlreadyRecorded(
            f"Nothing changed: a {program.name} package was sold to this owner since this "
            "screen was shown (a second press or another tab). Check the packages below."
        )
    package = PrepaidPackage.objects.create(
        retailer=visit.retailer,
        owner=owner,
        plan=plan,
        visits_total=plan.visits + plan.bonus_visits,
        sold_by=cashier,
    )
    record_audit(
        retailer=visit.retailer,
        actor=cashier,
        action="prepaid.sold",
        target=package,
        data={
            "visit": visit.pk,
            "program": program.name,
            "visits_total": package.visits_total,
            "price": str(plan.price),
        },
    )
    return package


@transaction.atomic
def use_visit(
    *, visit: Visit, package: PrepaidPackage, used_seen: int, cashier: User
) -> PrepaidUse:
    """Use one visit: one PrepaidUse and one more visit used, never below zero left.

    `used_seen` is the package's visits used on the cashier's screen; the package row is
    locked, so of two presses showing the same number only the first draws.
    """
    check_visit_open(visit)
    locked = PrepaidPackage.objects.select_for_update().get(pk=package.pk)
    if locked.owner_id != visit.owner_id:
        raise DomainError("That package belongs to another pet owner.")
    if locked.visits_used != used_seen:
        raise AlreadyRecorded(
            "Nothing changed: a visit was used from this package since this screen was shown "
            "(a second press or another tab). Check the visits left below."
        )
    if locked.visits_left <= 0:
        raise DomainError("This package has no visits left. Sell a new package first.")
    # The check constraint prepaid_never_overdrawn is the last line behind the lock.
    PrepaidPackage.objects.filter(pk=locked.pk).update(visits_used=F("visits_used") + 1)
    use = PrepaidUse.objects.create(
        retailer=visit.retailer, package=locked, visit=visit, used_by=cashier
    )
    record_audit(
        retailer=visit.retailer,
        actor=cashier,
        action="prepaid.visit_used",
        target=locked,
        data={"visit": visit.pk, "use": use.pk, "visits_left": locked.visits_left - 1},
    )
    return use
