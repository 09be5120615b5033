"""Pay: the cashier answers the coupon and point-reward prompts, takes payment, and the sale is
finalized; only then does Astro hear of it (seed 003: "only finalized sales count")."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .customers import read_tab, refresh_customer
from .models import Product, Sale, SaleReward, SaleState
from .outbox import SendReport, enqueue_paid_sale, send_queue
from .rewards import ask_prompts
from .sales import RegisterError, check_open
from .summary import summarize

TENDERS = ("Cash", "Card")


@dataclass(frozen=True)
class PayResult:
    """Either the prompts still waiting for the cashier, or the paid sale's send report."""

    prompts: tuple[SaleReward, ...] = ()
    report: SendReport | None = None

    @property
    def is_paid(self) -> bool:
        return self.report is not None


def pay(sale: Sale, tender: str) -> PayResult:
    check_open(sale)
    if tender not in TENDERS:
        raise RegisterError("Choose how the customer pays: Cash or Card.")
    if not sale.lines.exists():
        raise RegisterError("Add an item before taking payment.")
    if sale.customer is not None:
        # Celerant: coupons and point rewards prompt the cashier before the sale is paid.
        prompts = ask_prompts(sale, read_tab(sale.customer))
        if prompts:
            return PayResult(prompts=tuple(prompts))
    if not _finalize(sale, tender):
        raise RegisterError(f"Sale {sale.pos_sale_id} was paid already.")
    report = send_queue(sale.store)
    if sale.customer is not None and not report.waiting:
        refresh_customer(sale.customer)  # the tab's copy now has this sale's punches
    return PayResult(report=report)


@transaction.atomic
def _finalize(sale: Sale, tender: str) -> bool:
    """Mark the sale paid (once, even on a double click), take its stock and queue what Astro
    must hear, all in one transaction: a paid sale is never left out of the queue."""
    paid_at = timezone.now()
    claimed = Sale.objects.filter(pk=sale.pk, state=SaleState.OPEN).update(
        state=SaleState.PAID, paid_at=paid_at, tender=tender
    )
    if not claimed:
        return False
    sale.state, sale.paid_at, sale.tender = SaleState.PAID, paid_at, tender
    summary = summarize(sale)
    for line in summary.lines:
        Product.objects.filter(pk=line.product_id).update(stock=F("stock") - line.quantity)
    enqueue_paid_sale(sale, summary.totals)
    return True
