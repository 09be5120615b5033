"""Offers applied by themselves to a fully integrated POS's sale (SPEC §2, §5)."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from loyalty.models import Offer, OfferRedemption, Retailer, Visit, VisitLine
from loyalty.models.offers import OfferKind
from loyalty.selectors.prepared_cursor import preparing_cursor
from loyalty.selectors.sql_rows import columns, instance

from .distributor_reports.outbox import write_offer_report


def offer_discount(
    *,
    kind: str,
    buy_quantity: int,
    amount_off: Decimal | None,
    max_per_visit: int,
    unit_prices: Sequence[Decimal],
) -> tuple[int, Decimal]:
    """(times applied, discount) for the qualifying units of one visit.

    BOGO: every buy_quantity + 1 units, one is free, and the free ones are the cheapest;
    dollars off: every buy_quantity units earn amount_off. Both capped at max_per_visit."""
    units = len(unit_prices)
    if kind == OfferKind.BOGO:
        times = min(units // (buy_quantity + 1), max_per_visit)
        return times, sum(sorted(unit_prices)[:times], Decimal(0))
    times = min(units // buy_quantity, max_per_visit)
    return times, (amount_off or Decimal(0)) * times


def running_offers(*, retailer: Retailer, at: datetime):
    """Offers the store runs at that moment (the sale's own time for a late sale)."""
    return (
        Offer.objects.filter(retailers=retailer, is_active=True, starts_at__lte=at)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
        .order_by("name", "pk")
    )


RUNNING_FROM = """
FROM loyalty_offer o JOIN loyalty_offer_retailers r ON r.offer_id = o.id
WHERE r.retailer_id = %s AND o.is_active = %s AND o.starts_at <= %s
  AND (o.ends_at IS NULL OR o.ends_at > %s)
ORDER BY o.name, o.id
"""


def _running_offers(*, retailer_id: int, at: datetime) -> list[Offer]:
    """`running_offers` for a sale, its SQL written once: every finalized sale asks, and the
    ORM compiled the query anew each time (SPEC §9)."""
    at_value = connection.ops.adapt_datetimefield_value(at)
    with preparing_cursor(connection) as cursor:
        cursor.execute(
            " ".join(("SELECT", columns(Offer, "o"), RUNNING_FROM)),
            [retailer_id, True, at_value, at_value],
        )
        return [instance(Offer, row) for row in cursor.fetchall()]


# No savepoint of its own inside the sale's transaction (two round trips a sale, SPEC §9):
# an error here rolls the whole sale back, and no caller goes on after one.
@transaction.atomic(savepoint=False)
def apply_offers(
    *, visit: Visit, lines: Sequence[VisitLine], at: datetime
) -> list[OfferRedemption]:
    """Record each running offer the sale's lines qualify for, once per visit, with its
    distributor report in the same transaction (SPEC §2: recorded and reported; §6 outbox)."""
    offers = _running_offers(retailer_id=visit.retailer_id, at=at)
    if not offers:
        return []
    through = Offer.qualifying_items.through
    items_by_offer: dict[int, set[int]] = defaultdict(set)
    for offer_id, item_id in through.objects.filter(offer__in=offers).values_list(
        "offer_id", "item_id"
    ):
        items_by_offer[offer_id].add(item_id)
    applied = []
    for offer in offers:
        prices = [
            line.unit_price or Decimal(0)
            for line in lines
            if line.quantity > 0 and line.item_id in items_by_offer[offer.pk]
            for _unit in range(line.quantity)
        ]
        times, discount = offer_discount(
            kind=offer.kind,
            buy_quantity=offer.buy_quantity,
            amount_off=offer.amount_off,
            max_per_visit=offer.max_per_visit,
            unit_prices=prices,
        )
        if times and (redemption := _record(visit, offer, times, discount, at)):
            applied.append(redemption)
    return applied


def _record(
    visit: Visit, offer: Offer, times: int, discount: Decimal, at: datetime
) -> OfferRedemption | None:
    try:
        with transaction.atomic():
            applied = OfferRedemption.objects.create(
                retailer_id=visit.retailer_id,
                offer=offer,
                owner=visit.customer,
                visit=visit,
                location_id=visit.location_id,
                times=times,
                discount=discount,
                redeemed_at=at,
            )
    except IntegrityError:
        return None  # the constraint keeps one per offer and visit
    write_offer_report(applied=applied)
    return applied
