"""Sales the register showed Astro before the X-Series API had them (SPEC §4: nothing about
items or money is trusted from the browser). Astro waits for the API's copy: the cashier checks
again, Lightspeed's sale.update webhook arrives, or the catch-up sweep asks. A closed sale is
then recorded as a paid one (finalized, like a full integration's sale, SPEC §5); a voided,
unlinked or never-saved sale records nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from integrations.base import IntegrationError, PosNotFound, PosSale
from loyalty.contracts.registry import open_sale_source
from loyalty.models import Location, User, Visit
from loyalty.selectors.pos import find_link, location_for_shop
from loyalty.services.sales import record_pos_sale

from .connection import POS_SYSTEM
from .models import WaitingSale, WaitingState

# Lightspeed retries a webhook for a while; after a day a sale still unsaved is abandoned.
GIVE_UP_AFTER = timedelta(hours=24)
# The sweep asks again at most this often per sale, and about this many sales per run, well
# inside the store's 5-minute request budget (docs/rate_limiting).
ASK_AGAIN_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 50


def note_waiting_sale(*, location: Location, sale_id: str, cashier: User) -> WaitingSale:
    """The sale's waiting row (made once per sale), with one more check counted."""
    waiting, _ = WaitingSale.objects.get_or_create(
        retailer=location.retailer,
        sale_id=sale_id,
        defaults={"location": location, "cashier": cashier},
    )
    WaitingSale.objects.filter(pk=waiting.pk).update(
        attempts=F("attempts") + 1, checked_at=timezone.now()
    )
    return waiting


def mark_recorded(*, visit: Visit) -> None:
    """The cashier's own visit recorded the sale: the sweep and the webhook leave it alone."""
    WaitingSale.objects.filter(
        retailer_id=visit.retailer_id, sale_id=visit.pos_sale_id, state=WaitingState.WAITING
    ).update(state=WaitingState.RECORDED, visit=visit)


def waiting_sale_for(*, retailer_id: int, sale_id: str) -> int | None:
    """The id of the retailer's sale still waiting with this X-Series id."""
    return (
        WaitingSale.objects.filter(
            retailer_id=retailer_id, sale_id=sale_id, state=WaitingState.WAITING
        )
        .values_list("pk", flat=True)
        .first()
    )


def due_waiting_sales(*, limit: int = SWEEP_BATCH) -> list[int]:
    """Waiting sales not asked about for a while, oldest first."""
    stale = timezone.now() - ASK_AGAIN_AFTER
    return list(
        WaitingSale.objects.filter(state=WaitingState.WAITING)
        .filter(Q(checked_at__isnull=True) | Q(checked_at__lte=stale))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def confirm_waiting_sale(waiting_id: int) -> str:
    """Ask the API for one waiting sale and record it if it is closed; returns the new state.
    The HTTP call runs outside any transaction (the token refresh must commit at once)."""
    waiting = (
        WaitingSale.objects.select_related("retailer", "location", "cashier")
        .filter(pk=waiting_id, state=WaitingState.WAITING)
        .first()
    )
    if waiting is None:
        return "done"
    if waiting.created_at < timezone.now() - GIVE_UP_AFTER or waiting.location is None:
        return _settle(waiting, WaitingState.EXPIRED)
    try:
        with open_sale_source(POS_SYSTEM, retailer=waiting.retailer) as source:
            sale = source.fetch_sale(waiting.sale_id)
    except IntegrationError as exc:
        WaitingSale.objects.filter(pk=waiting.pk).update(checked_at=timezone.now())
        return WaitingState.WAITING if isinstance(exc, PosNotFound) else "error"
    return _record_if_closed(waiting, sale)


def _record_if_closed(waiting: WaitingSale, sale: PosSale) -> str:
    if sale.is_voided:
        return _settle(waiting, WaitingState.VOIDED)
    if not sale.completed:  # parked or pending: the goods are not paid for yet
        WaitingSale.objects.filter(pk=waiting.pk).update(checked_at=timezone.now())
        return WaitingState.WAITING
    link = sale.customer and find_link(
        retailer=waiting.retailer,
        pos_system=POS_SYSTEM,
        pos_customer_id=sale.customer.pos_customer_id,
    )
    if not link:
        return _settle(waiting, WaitingState.NOT_LINKED)
    location = location_for_shop(waiting.location, sale.shop_id)
    with transaction.atomic():
        # The row lock makes the webhook and the sweep record a sale once between them.
        locked = WaitingSale.objects.select_for_update().filter(
            pk=waiting.pk, state=WaitingState.WAITING
        )
        if not list(locked.values_list("pk", flat=True)):
            return "done"
        result = record_pos_sale(
            owner=link.owner,
            location=location,
            pos_system=POS_SYSTEM,
            sale=sale,
            finalized=True,
            cashier=waiting.cashier,
        )
        WaitingSale.objects.filter(pk=waiting.pk).update(
            state=WaitingState.RECORDED, visit=result.visit, checked_at=timezone.now()
        )
    return WaitingState.RECORDED


def _settle(waiting: WaitingSale, state: str) -> str:
    WaitingSale.objects.filter(pk=waiting.pk, state=WaitingState.WAITING).update(
        state=state, checked_at=timezone.now()
    )
    return state
