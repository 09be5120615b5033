"""Coupons and point rewards the cashier accepts or declines at the POS (SPEC §2, §5)."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from loyalty.errors import DomainError
from loyalty.models import Coupon, Location, PetOwner, PointReward, PointsEntry, User
from loyalty.models.points import PointsKind

from .audit import record_audit
from .cards import lock_owner
from .points import points_balance


class AlreadyUsed(DomainError):
    """A one-time reward was used already (a second accept, or two at once)."""


def available_coupons(*, owner: PetOwner, at: datetime | None = None):
    at = at or timezone.now()
    return Coupon.objects.filter(
        owner=owner, retailer_id=owner.retailer_id, redeemed_at__isnull=True
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))


@transaction.atomic
def issue_coupon(
    *,
    owner: PetOwner,
    name: str,
    amount_off: Decimal,
    description: str = "",
    expires_at: datetime | None = None,
    actor: User | None = None,
) -> Coupon:
    if amount_off <= 0:
        raise DomainError("A coupon needs an amount off greater than zero.")
    coupon = Coupon.objects.create(
        retailer_id=owner.retailer_id,
        owner=owner,
        name=name,
        description=description,
        amount_off=amount_off,
        expires_at=expires_at,
    )
    record_audit(
        retailer=owner.retailer,
        actor=actor,
        action="coupon.issued",
        target=owner,
        data={"coupon": coupon.pk, "amount_off": str(amount_off)},
    )
    return coupon


@transaction.atomic
def accept_coupon(*, coupon: Coupon, location: Location | None = None) -> Coupon:
    """The cashier applies the coupon: it is used once, by a conditional UPDATE."""
    now = timezone.now()
    if coupon.expires_at is not None and coupon.expires_at <= now:
        raise DomainError(f"The coupon “{coupon.name}” expired on {coupon.expires_at:%b %d, %Y}.")
    used = Coupon.objects.filter(pk=coupon.pk, redeemed_at__isnull=True).update(
        redeemed_at=now, redeemed_location=location
    )
    coupon.refresh_from_db()
    if not used:
        raise AlreadyUsed(f"The coupon “{coupon.name}” was already used ({coupon.reward_id}).")
    return coupon


@transaction.atomic
def accept_point_reward(
    *, owner: PetOwner, reward: PointReward, location: Location | None = None
) -> PointsEntry:
    """SPEC §2: the cashier redeems a point reward; its points leave the balance (never below 0)."""
    if not reward.is_active or reward.retailer_id != owner.retailer_id:
        raise DomainError(f"The reward “{reward.name}” is not offered any more.")
    lock_owner(owner)
    balance = points_balance(owner)
    if balance < reward.points_required:
        raise DomainError(
            f"“{reward.name}” needs {reward.points_required} points; this pet owner has {balance}."
        )
    return PointsEntry.objects.create(
        retailer_id=owner.retailer_id,
        owner=owner,
        kind=PointsKind.REDEEMED,
        points=-reward.points_required,
        note=f"Point reward: {reward.name}"[:200],
    )
