"""Coupons and point rewards the cashier accepts or declines at the POS (SPEC §2, §5)."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from loyalty.errors import DomainError
from loyalty.models import Coupon, Location, PetOwner, User

from .audit import record_audit


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


from .points import accept_point_reward  # noqa: E402,F401 - the point-reward side of these decisions
