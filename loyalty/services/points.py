"""Loyalty points: earned on sales, taken back on returns, adjusted by hand (SPEC §2, §3)."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum

from loyalty.errors import DomainError, InvalidAdjustment
from loyalty.models import PetOwner, PointReward, PointsEntry, Retailer, User, Visit
from loyalty.models.points import PointsKind
from loyalty.models.tenancy import PointsEvents
from loyalty.rules import points as rules

from .audit import record_audit
from .cards import lock_owner


def points_balance(owner: PetOwner) -> int:
    return owner.points_entries.aggregate(total=Sum("points"))["total"] or 0


def sales_award_points(retailer: Retailer) -> bool:
    """SPEC §2: points follow POS sales unless the store gives them by hand only."""
    return retailer.points_events != PointsEvents.MANUAL


@transaction.atomic
def award_sale_points(
    *, owner: PetOwner, subtotal: Decimal, total: Decimal, visit: Visit | None = None
) -> PointsEntry | None:
    """SPEC §2: whole dollars of the subtotal before tax (or the total, by retailer setting)."""
    retailer = owner.retailer
    if not sales_award_points(retailer):
        return None
    points = rules.points_for_sale(
        subtotal=subtotal,
        total=total,
        basis=retailer.points_basis,
        points_per_dollar=retailer.points_per_dollar,
    )
    if points <= 0:
        return None
    return PointsEntry.objects.create(
        retailer=retailer, owner=owner, kind=PointsKind.EARNED, points=points, visit=visit
    )


@transaction.atomic
def take_back_points(
    *,
    owner: PetOwner,
    returned_amount: Decimal,
    visit: Visit | None = None,
    actor: User | None = None,
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
    )


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
