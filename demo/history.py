"""Replaying a planned sales history through the sale, points and redemption services.

The services stamp everything "now"; each visit is then moved back to its planned date so the
demo shows six months of history. Cards are punched only by the real matching and punch rules.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from integrations.lightspeed.pos import POS_SYSTEM as LIGHTSPEED
from loyalty.models import (
    Card,
    Location,
    PetOwner,
    PointsEntry,
    Purchase,
    Redemption,
    Retailer,
    User,
    Visit,
)
from loyalty.models.cards import CardStatus, VisitState
from loyalty.services.points import award_sale_points
from loyalty.services.redemptions import redeem_card, redeemable_items
from loyalty.services.sales import (
    import_sale_line,
    multi_purchase_cards,
    record_multi_purchase_reason,
    start_visit,
)

from .plans import PlannedVisit

FIRST_SALE_NUMBER = 1001
SALES_TAX = Decimal("1.0725")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Shop:
    """The rows a store's planned visits refer to by name."""

    retailer: Retailer
    owners: dict[tuple[str, str], PetOwner]
    locations: dict[str, Location]
    cashiers: dict[str, User]
    codes: dict[str, tuple[str, str, Decimal]]  # item key: (POS code, description, price)


def has_history(retailer: Retailer) -> bool:
    """True once the store has sales: the history is then never loaded again."""
    return (
        Purchase.objects.filter(retailer=retailer).exists()
        or Visit.objects.filter(retailer=retailer).exists()
    )


def replay(shop: Shop, plans: list[PlannedVisit], prefix: str = "demo-") -> int:
    """Ring up every planned visit, oldest first, as sales demo-1001, demo-1002, ..."""
    now = timezone.now()
    for number, plan in enumerate(plans, start=FIRST_SALE_NUMBER):
        _ring_up(shop, plan, f"{prefix}{number}", _when(now, plan))
    return len(plans)


def _when(now: datetime, plan: PlannedVisit) -> datetime:
    day = timezone.localtime(now - timedelta(days=plan.days_ago))
    opening = day.replace(hour=9, minute=0, second=0, microsecond=0)
    return opening + timedelta(minutes=plan.minute)


def _ring_up(shop: Shop, plan: PlannedVisit, sale_id: str, when: datetime) -> Visit:
    owner = shop.owners[plan.owner]
    subtotal = sum((shop.codes[key][2] * qty for key, qty in plan.lines), Decimal("0"))
    total = (subtotal * SALES_TAX).quantize(CENT)
    visit = start_visit(
        retailer=shop.retailer,
        owner=owner,
        location=shop.locations[plan.location],
        cashier=shop.cashiers[plan.cashier],
        pos_system=LIGHTSPEED,
        pos_sale_id=sale_id,
        subtotal=subtotal,
        total=total,
    )
    if plan.redeem:
        _redeem_complete_card(visit)
    for line_number, (key, quantity) in enumerate(plan.lines, start=1):
        code, description, price = shop.codes[key]
        import_sale_line(
            visit=visit,
            pos_line_id=str(line_number),
            codes=[code],
            quantity=quantity,
            unit_price=price,
            description=description,
        )
    for card in multi_purchase_cards(visit):
        record_multi_purchase_reason(visit=visit, card=card, reason=plan.reason)
    award_sale_points(owner=owner, subtotal=subtotal, total=total, visit=visit)
    _backdate(visit, owner, when)
    return visit


def _redeem_complete_card(visit: Visit) -> Redemption | None:
    card = (
        Card.objects.filter(owner=visit.owner, status=CardStatus.COMPLETE)
        .order_by("completed_at", "pk")
        .first()
    )
    allowed = redeemable_items(card=card) if card else []
    if not allowed:
        return None
    # The owner takes the free bag of what they usually buy, when the rule allows it.
    usual = Counter(card.purchases.values_list("item_id", flat=True)).most_common(1)[0][0]
    item = next((i for i in allowed if i.pk == usual), allowed[0])
    return redeem_card(
        card=card,
        item_id=item.pk,
        cashier=visit.cashier,
        location=visit.location,
        visit=visit,
    )


def _backdate(visit: Visit, owner: PetOwner, when: datetime) -> None:
    """Move what this visit made to `when`. Visits replay oldest first, so any of the owner's
    cards stamped later than `when` was created or completed by this visit."""
    Visit.objects.filter(pk=visit.pk).update(created_at=when, state=VisitState.FINISHED)
    Purchase.objects.filter(visit_line__visit=visit).update(purchased_at=when)
    Card.objects.filter(owner=owner, created_at__gt=when).update(created_at=when)
    Card.objects.filter(owner=owner, completed_at__gt=when).update(completed_at=when)
    PointsEntry.objects.filter(visit=visit).update(created_at=when)
    Redemption.objects.filter(visit=visit).update(redeemed_at=when)
