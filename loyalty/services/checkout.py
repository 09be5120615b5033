"""The cashier's actions on a visit, from the checkout screen to Finished (SPEC §4): one
transaction each. The sale itself came in through services/sales (record_pos_sale)."""

from django.db import transaction

from loyalty.errors import DomainError
from loyalty.models import (
    Distributor,
    PosLink,
    Program,
    ProgramCard,
    Purchase,
    Redemption,
    User,
    Visit,
)
from loyalty.models.cards import CardStatus, LineOutcome, PurchaseState, VisitLine, VisitState
from loyalty.rules.upc import describe_code_problem, looks_like_gtin

from .audit import record_audit
from .cards import add_purchases, lock_owner, refill_complete_card
from .enrollment import enroll_program
from .messages.outbox import queue_visit_summary
from .points import adjust_points, points_on_visits, remove_visit_points
from .sales import apply_return, check_visit_open, import_sale_line, rematch_line


@transaction.atomic
def confirm_return(*, line: VisitLine, cashier: User) -> VisitLine:
    """Remove From Astro FBC: the returned line leaves the cards and takes its points back
    (SPEC §3); a second click or a replayed POST changes nothing."""
    check_visit_open(line.visit)
    apply_return(line=line, cashier=cashier)
    return line


def add_scanned_code(*, visit: Visit, code: str) -> VisitLine:
    """SPEC §4 step 4: a UPC scanned or an item number typed at the checkout screen."""
    check_visit_open(visit)
    code = code.strip()
    if not code:
        raise DomainError("Scan a UPC or type an item number first.")
    # A digits-only code of a GTIN's length is a UPC/EAN and must check out; anything else is
    # a POS item number (a service such as SELFWASH-S) and is matched as typed.
    problem = describe_code_problem(code) if looks_like_gtin(code) else None
    if problem:
        raise DomainError(problem)
    return import_sale_line(visit=visit, pos_line_id="", codes=[code], quantity=1)


@transaction.atomic
def add_as_exception(
    *, line: VisitLine, program_card: ProgramCard, reason: str, cashier: User
) -> VisitLine:
    """An Unknown Item put on a card anyway, with the cashier's reason kept (seed 002)."""
    visit = line.visit
    check_visit_open(visit)
    if line.outcome != LineOutcome.UNKNOWN or line.quantity <= 0:
        raise DomainError("Only an Unknown Item of this sale can be added as an exception.")
    if not reason.strip():
        raise DomainError("Say why this item counts (for example: new size, same product).")
    add_purchases(
        owner=visit.customer,
        program_card=program_card,
        quantity=line.quantity,
        item=line.item,
        unit_price=line.unit_price,
        location=visit.location,
        cashier=cashier,
        visit_line=line,
        exception_reason=reason.strip()[:200],
    )
    line.outcome, line.program_card = LineOutcome.PUNCHED, program_card
    line.reason = f"Added as an exception: {reason.strip()}"[:300]
    line.save(update_fields=["outcome", "program_card", "reason"])
    return line


@transaction.atomic
def undo_sale_for_customer(*, visit: Visit, actor: User) -> int:
    """Incorrect Customer (SPEC §4 step 4): remove everything this sale added to this owner,
    unlink the POS customer, and close the visits. Returns the punches removed."""
    owner = lock_owner(visit.customer)
    visits = Visit.objects.filter(
        retailer_id=visit.retailer_id,
        owner=owner,
        pos_system=visit.pos_system,
        pos_sale_id=visit.pos_sale_id,
    ).exclude(state=VisitState.UNDONE)
    if Redemption.objects.filter(visit__in=visits, undone_at__isnull=True).exists():
        raise DomainError(
            "A reward was redeemed in this visit, so it cannot be undone here. "
            "Ask an admin to correct the redemption first."
        )
    removed = _remove_sale_punches(visits)
    points = remove_visit_points(owner=owner, visits=visits, visit=visit, actor=actor)
    PosLink.objects.filter(
        retailer_id=visit.retailer_id,
        owner=owner,
        pos_system=visit.pos_system,
        pos_customer_id=visit.pos_customer_id,
    ).delete()
    _close_undone(visits)
    record_audit(
        retailer=visit.retailer,
        actor=actor,
        action="visit.incorrect_customer",
        target=owner,
        data={"sale_id": visit.pos_sale_id, "punches_removed": removed, "points_removed": points},
    )
    return removed


def _remove_sale_punches(visits) -> int:
    purchases = list(
        Purchase.objects.filter(visit_line__visit__in=visits, state=PurchaseState.ACTIVE)
        .select_related("card")
        .order_by("-purchased_at", "-id")
    )
    for purchase in purchases:
        _remove_punch(purchase)
    return len(purchases)


def _close_undone(visits) -> None:
    # The lines leave the once-per-POS-line index (a blank line id is outside it), so the
    # right customer's click imports them fresh instead of as Possible Existing Transactions.
    VisitLine.objects.filter(visit__in=visits).update(
        pos_line_id="", outcome=LineOutcome.IGNORED, reason="Undone: Incorrect Customer."
    )
    visits.update(state=VisitState.UNDONE)


def _remove_punch(purchase: Purchase) -> None:
    card = purchase.card
    purchase.card.refresh_from_db(fields=["status"])
    purchase.state = PurchaseState.REMOVED
    purchase.save(update_fields=["state"])
    if card.status == CardStatus.COMPLETE:
        refill_complete_card(card)


@transaction.atomic
def finish_visit(*, visit: Visit) -> Visit:
    """Finished: a Possible Existing Transaction nobody chose is removed (SPEC §4 step 5)."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.state == VisitState.FINISHED:
        return visit
    check_visit_open(visit)
    visit.lines.filter(outcome=LineOutcome.POSSIBLE_EXISTING).update(
        outcome=LineOutcome.IGNORED, reason="Already imported from this sale."
    )
    visit.state = VisitState.FINISHED
    visit.save(update_fields=["state"])
    queue_visit_summary(visit=visit)
    return visit


@transaction.atomic
def enroll_at_checkout(
    *, visit: Visit, program: Program, distributor: Distributor, account_number: str, actor: User
) -> int:
    """SPEC §2: an admin enrolls without leaving checkout, and this sale's items of the program
    punch its card at once. Returns how many lines punched."""
    check_visit_open(visit)
    enroll_program(
        retailer=visit.retailer,
        program=program,
        distributor=distributor,
        account_number=account_number,
        actor=actor,
    )
    lines = visit.lines.filter(outcome=LineOutcome.UNKNOWN, program_card__program=program)
    punched = [rematch_line(line=line, expected=LineOutcome.UNKNOWN) for line in lines]
    return sum(1 for line in punched if line.outcome == LineOutcome.PUNCHED)


def set_visit_points(*, visit: Visit, points: int, actor: User) -> None:
    """Manage Loyalty Points: set what this sale awards (say, the subtotal after a discount);
    the difference is an audited manual entry on the visit."""
    check_visit_open(visit)
    delta = points - points_on_visits([visit])
    if delta:
        adjust_points(
            owner=visit.customer,
            delta=delta,
            actor=actor,
            visit=visit,
            note=f"Manage Loyalty Points: sale {visit.pos_sale_id or visit.pk} set to {points}",
        )


def mark_checked_out(*, visit: Visit) -> None:
    Visit.objects.filter(pk=visit.pk, state=VisitState.OPEN).update(state=VisitState.CHECKED_OUT)


def adjust_visit_points(*, visit: Visit, delta: int, reason: str, actor: User) -> None:
    """Manage Loyalty Points' adjustment (seed 002's second method): say -5 for a discount the
    POS gave, with the cashier's reason kept in the ledger and the audit log."""
    check_visit_open(visit)
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError("Say why the points change (for example: $5 discount on the sale).")
    adjust_points(
        owner=visit.customer,
        delta=delta,
        actor=actor,
        visit=visit,
        note=f"Manage Loyalty Points: {reason}"[:200],
    )
