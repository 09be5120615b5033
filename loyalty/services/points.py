"""Loyalty points: earned on sales, taken back on returns, adjusted by hand (SPEC §2, §3).

The only module that writes points entries."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from loyalty.errors import DomainError, InvalidAdjustment
from loyalty.models import Location, PetOwner, PointReward, PointsEntry, Retailer, User, Visit
from loyalty.models.points import PointsKind
from loyalty.models.redemptions import new_reward_id
from loyalty.models.tenancy import PointsEvents
from loyalty.rules import points as rules
from loyalty.selectors.prepared_cursor import preparing_cursor
from loyalty.selectors.sql_rows import new

from .audit import record_audit
from .cards import lock_owner


def points_balance(owner: PetOwner) -> int:
    return owner.points_entries.aggregate(total=Sum("points"))["total"] or 0


def sales_award_points(retailer: Retailer) -> bool:
    """SPEC §2: points follow POS sales unless the store gives them by hand only."""
    return retailer.points_events != PointsEvents.MANUAL


# No savepoint of its own inside the sale's transaction (two round trips a sale, SPEC §9):
# an error here rolls the whole sale back, and no caller goes on after one.
@transaction.atomic(savepoint=False)
def award_sale_points(
    *,
    owner: PetOwner,
    subtotal: Decimal,
    total: Decimal,
    visit: Visit | None = None,
    returned: Decimal = Decimal(0),
    at: datetime | None = None,
) -> PointsEntry | None:
    """SPEC §2: whole dollars of the subtotal before tax (or the total, by retailer setting).

    The sale earns on what it bought: its returned lines take their points back one by one as
    they are applied (SPEC §3), so the `returned` amount is added back here. A POS sale seen
    again (the button pressed twice, the sale grown meanwhile) earns only the difference, so a
    sale never pays twice. `at` is the sale's own time (a late sale keeps it)."""
    retailer = owner.retailer
    if not sales_award_points(retailer):
        return None
    due = rules.points_for_sale(
        subtotal=max(subtotal + returned, Decimal(0)),
        total=max(total + returned, Decimal(0)),
        basis=retailer.points_basis,
        points_per_dollar=retailer.points_per_dollar,
    )
    if due <= 0:
        return None
    entry = new(
        PointsEntry,
        retailer=retailer,
        owner=owner,
        kind=PointsKind.EARNED,
        points=due,
        visit=visit,
        created_at=at or timezone.now(),
    )
    if visit is None or not visit.pos_sale_id:
        entry.save(force_insert=True)
        return entry
    return _insert_less_earned(entry, visit)


def less_earned_statement(entry: PointsEntry, visit: Visit) -> tuple[str, list[Any]]:
    """`_insert_less_earned`'s INSERT and its parameters."""
    fields = [field for field in PointsEntry._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(entry, True), connection) for field in fields]
    selected = ["%s - earned.total" if field.name == "points" else "%s" for field in fields]
    names = ", ".join(str(field.column) for field in fields)
    head = f"INSERT INTO loyalty_pointsentry ({names}) SELECT {', '.join(selected)}"
    earned = [entry.owner_id, str(PointsKind.EARNED), visit.retailer_id]
    earned += [str(visit.pos_system), visit.pos_sale_id]
    return " ".join((head, EARNED_ON_SALE)), [*values, *earned, entry.points]


# The points already earned on this POS sale in earlier visits of it. The visits are found by
# the store's sale index (retailer, POS, sale id): without the store, PostgreSQL's plan read
# every visit of every store on each sale, a cost that grew with the visits (issue 12).
EARNED_ON_SALE = """
FROM (SELECT COALESCE(SUM(e.points), 0) AS total
      FROM loyalty_pointsentry e JOIN loyalty_visit v ON v.id = e.visit_id
      WHERE e.owner_id = %s AND e.kind = %s
        AND v.retailer_id = %s AND v.pos_system = %s AND v.pos_sale_id = %s) earned
WHERE %s - earned.total > 0
RETURNING id, points
"""


def _insert_less_earned(entry: PointsEntry, visit: Visit) -> PointsEntry | None:
    """The entry, less what earlier visits of the sale earned, inserted when something is left.
    One statement instead of a sum and an INSERT (SPEC §9), its SQL written once."""
    with preparing_cursor(connection) as cursor:
        cursor.execute(*less_earned_statement(entry, visit))
        row = cursor.fetchone()
    if row is None:
        return None
    entry.pk, entry.points = row
    entry._state.adding, entry._state.db = False, connection.alias
    return entry


@transaction.atomic
def take_back_points(
    *,
    owner: PetOwner,
    returned_amount: Decimal,
    visit: Visit | None = None,
    actor: User | None = None,
    at: datetime | None = None,
) -> PointsEntry | None:
    """SPEC §3: points earned on a returned amount go back too, never below zero."""
    if not sales_award_points(owner.retailer):
        return None  # a manual-only store's sales earned nothing, so a return takes nothing
    lock_owner(owner)
    points = rules.points_to_take_back(
        returned_amount=returned_amount,
        balance=points_balance(owner),
        points_per_dollar=owner.retailer.points_per_dollar,
    )
    if points <= 0:
        return None
    return PointsEntry.objects.create(
        retailer=owner.retailer,
        owner=owner,
        kind=PointsKind.RETURNED,
        points=-points,
        visit=visit,
        created_by=actor,
        created_at=at or timezone.now(),
    )


def points_on_visits(visits) -> int:
    """The points the given visits (a list or a queryset) earned, returned and adjusted."""
    total = PointsEntry.objects.filter(visit__in=visits).aggregate(total=Sum("points"))["total"]
    return total or 0


@transaction.atomic
def remove_visit_points(*, owner: PetOwner, visits, visit: Visit, actor: User) -> int:
    """Incorrect Customer: whatever the sale's visits gave this owner goes back, in one audited
    manual entry on `visit`. Returns the points removed."""
    points = points_on_visits(visits)
    if points:
        PointsEntry.objects.create(
            retailer_id=visit.retailer_id,
            owner=owner,
            kind=PointsKind.MANUAL,
            points=-points,
            visit=visit,
            created_by=actor,
            note="Incorrect Customer: this sale's points removed",
        )
    return points


@transaction.atomic
def accept_point_reward(
    *,
    owner: PetOwner,
    reward: PointReward,
    location: Location | None = None,
    visit: Visit | None = None,
    actor: User | None = None,
) -> PointsEntry:
    """SPEC §2: the cashier redeems a point reward; its points leave the balance (never below 0).

    The entry gets a reward id for the receipt and is audited. At checkout (`visit` given) a
    reward is redeemed once per visit, so a double click or a second tab takes no more points."""
    if not reward.is_active or reward.retailer_id != owner.retailer_id:
        raise DomainError(f"The reward “{reward.name}” is not offered any more.")
    lock_owner(owner)
    if visit is not None and _redeemed_in_visit(visit, reward):
        raise DomainError(f"“{reward.name}” was already redeemed in this visit.")
    balance = points_balance(owner)
    if balance < reward.points_required:
        raise DomainError(
            f"“{reward.name}” needs {reward.points_required} points; this pet owner has {balance}."
        )
    try:
        with transaction.atomic():
            entry = PointsEntry.objects.create(
                retailer_id=owner.retailer_id,
                owner=owner,
                kind=PointsKind.REDEEMED,
                points=-reward.points_required,
                note=f"Point reward: {reward.name}"[:200],
                visit=visit,
                created_by=actor,
                point_reward=reward,
                reward_id=new_reward_id(),
            )
    except IntegrityError as exc:  # the constraint behind the check above
        raise DomainError(f"“{reward.name}” was already redeemed in this visit.") from exc
    _audit_reward(entry, balance=balance, location=location)
    return entry


def _audit_reward(entry: PointsEntry, *, balance: int, location: Location | None) -> None:
    record_audit(
        retailer=entry.owner.retailer,
        actor=entry.created_by,
        action="point_reward.redeemed",
        target=entry.owner,
        data={
            "reward": entry.point_reward.name if entry.point_reward else "",
            "points": -entry.points,
            "balance_before": balance,
            "reward_id": entry.reward_id,
            "location": location.name if location else "",
        },
    )


def _redeemed_in_visit(visit: Visit, reward: PointReward) -> bool:
    return PointsEntry.objects.filter(visit=visit, point_reward=reward).exists()


@transaction.atomic
def adjust_points(
    *, owner: PetOwner, delta: int, actor: User, note: str = "", visit: Visit | None = None
) -> PointsEntry:
    """Manage Loyalty Points: a manual change, audited; it may not drive the balance below zero."""
    if delta == 0:
        raise InvalidAdjustment("Enter a number of points other than zero.")
    lock_owner(owner)
    balance = points_balance(owner)
    try:
        rules.apply_adjustment(balance=balance, delta=delta)
    except ValueError as exc:
        raise InvalidAdjustment(str(exc)) from exc
    entry = PointsEntry.objects.create(
        retailer=owner.retailer,
        owner=owner,
        kind=PointsKind.MANUAL,
        points=delta,
        visit=visit,
        created_by=actor,
        note=note,
    )
    record_audit(
        retailer=owner.retailer,
        actor=actor,
        action="points.adjusted",
        target=owner,
        data={"delta": delta, "balance_before": balance, "note": note},
    )
    return entry


REWARD_FIELDS = ("name", "points_required", "description", "is_active")


@transaction.atomic
def save_point_reward(
    *, retailer: Retailer, values: dict, actor: User, reward: PointReward | None = None
) -> PointReward:
    """Add a reward threshold, or change one (deactivating is `is_active` False); audited."""
    if reward is not None:
        # Read it afresh: a bound ModelForm has already written the new values on the instance.
        reward = PointReward.objects.select_for_update().get(pk=reward.pk, retailer=retailer)
    before = {k: getattr(reward, k) for k in REWARD_FIELDS} if reward else {}
    reward = reward or PointReward(retailer=retailer)
    for name in REWARD_FIELDS:
        setattr(reward, name, values[name])
    try:
        with transaction.atomic():
            reward.save()
    except IntegrityError as exc:  # the same name saved a moment ago in another tab
        raise DomainError(f"There is already a reward called “{reward.name}”.") from exc
    record_audit(
        retailer=retailer,
        actor=actor,
        action="point_reward.changed" if before else "point_reward.created",
        target=reward,
        data={"before": before, "after": {k: getattr(reward, k) for k in REWARD_FIELDS}},
    )
    return reward
