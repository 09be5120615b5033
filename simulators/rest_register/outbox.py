"""What the register owes Astro, sent in order, each exactly once (Celerant, seed 000: sent in
real time, "or as a scheduled task if internet connectivity is lost").

A paid sale writes its requests here in the same transaction that marks it paid: the sale, then
the cashier's coupon and point-reward decisions, then its redemptions. `send_queue` sends
whatever is waiting, oldest first, each with its own Idempotency-Key and the sale's own time,
and stops at the first one Astro cannot take, so nothing overtakes an earlier sale. A send
repeated after a lost answer is answered by Astro with the first answer (Idempotent-Replayed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone

from .astro_client import AstroAnswer, AstroRefused, AstroUnreachable, client_for
from .customers import inventory_codes
from .models import (
    Decision,
    EntryState,
    OutboxEntry,
    RegisterStore,
    RewardKind,
    Sale,
    SaleReward,
)
from .sales import astro_lines
from .totals import Totals

DECISION_PATHS = {RewardKind.COUPON: "coupons", RewardKind.POINT_REWARD: "point-rewards"}


@dataclass
class SendReport:
    sent: int = 0
    refused: int = 0
    waiting: int = 0
    error: str = ""
    refusals: list[str] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        parts = [f"{self.sent} sent to Astro"]
        if self.refused:
            parts.append(f"{self.refused} refused")
        if self.waiting:
            parts.append(f"{self.waiting} still waiting: {self.error.rstrip('.')}")
        return ", ".join(parts) + "."


def enqueue_paid_sale(sale: Sale, totals: Totals) -> list[OutboxEntry]:
    """The paid sale's requests, in the order Astro must see them. Call inside the payment's
    transaction. A sale without a customer has nothing for Astro."""
    if sale.customer is None:
        return []
    number = sale.customer.number
    entries = []
    lines = astro_lines(sale)
    if lines:
        body = {
            "pos_sale_id": sale.pos_sale_id,
            "pos_customer_id": number,
            "completed_at": sale.paid_at.isoformat(),
            "subtotal": str(totals.purchases),
            "total": str(totals.total),
            "lines": lines,
        }
        entries.append(OutboxEntry(sale=sale, path="sales/", body=body))
    for reward in sale.rewards.exclude(kind=RewardKind.OFFER).exclude(decision=Decision.ASKED):
        entries.append(_reward_entry(sale, reward, number))
    for entry in entries:
        entry.store, entry.queued_at = sale.store, sale.paid_at
    return OutboxEntry.objects.bulk_create(entries)


def _reward_entry(sale: Sale, reward: SaleReward, number: str) -> OutboxEntry:
    if reward.kind == RewardKind.REDEMPTION:
        body = {
            "pos_customer_id": number,
            "card_id": reward.astro_ref,
            "item_id": reward.astro_item_id,
            "pos_sale_id": sale.pos_sale_id,
            "inventory": inventory_codes(sale.store) + [reward.line.product.code],
        }
        return OutboxEntry(sale=sale, reward=reward, path="redemptions/", body=body)
    decision = "accept" if reward.decision == Decision.APPLY else "decline"
    kind = DECISION_PATHS[reward.kind]
    path = f"links/{quote(number, safe='')}/{kind}/{reward.astro_ref}/{decision}"
    return OutboxEntry(sale=sale, reward=reward, path=path, body={})


def pending(store: RegisterStore) -> list[OutboxEntry]:
    rows = store.outbox.filter(state=EntryState.PENDING).select_related("sale", "reward")
    return list(rows.order_by("pk"))


def send_queue(store: RegisterStore) -> SendReport:
    """Send every waiting request in order; stop at the first that cannot be delivered."""
    report = SendReport()
    waiting = pending(store)
    if not waiting:
        return report
    with client_for(store) as astro:
        for position, entry in enumerate(waiting):
            if not store.outbox.filter(pk=entry.pk, state=EntryState.PENDING).exists():
                continue  # another send (the button and the scheduled task) delivered it
            try:
                answer = astro.send(
                    "POST", entry.path, body=entry.body, idempotency_key=str(entry.idempotency_key)
                )
            except AstroUnreachable as exc:
                _note_failure(entry, exc.message)
                report.waiting, report.error = len(waiting) - position, exc.message
                break
            except AstroRefused as exc:
                _refused(entry, exc)
                report.refused += 1
                report.refusals.append(f"{entry.sale.pos_sale_id}: {exc.message}")
                continue
            if _delivered(entry, answer):  # another sender may have had the same answer
                report.sent += 1
    return report


def _note_failure(entry: OutboxEntry, message: str) -> None:
    OutboxEntry.objects.filter(pk=entry.pk, state=EntryState.PENDING).update(
        attempts=entry.attempts + 1, last_error=message[:500]
    )


def _refused(entry: OutboxEntry, exc: AstroRefused) -> None:
    OutboxEntry.objects.filter(pk=entry.pk, state=EntryState.PENDING).update(
        state=EntryState.REFUSED,
        attempts=entry.attempts + 1,
        status_code=exc.status,
        last_error=exc.message[:500],
    )


@transaction.atomic
def _delivered(entry: OutboxEntry, answer: AstroAnswer) -> bool:
    claimed = OutboxEntry.objects.filter(pk=entry.pk, state=EntryState.PENDING).update(
        state=EntryState.SENT,
        attempts=entry.attempts + 1,
        sent_at=timezone.now(),
        status_code=answer.status,
        replayed=answer.replayed,
        answer=answer.body,
        last_error="",
    )
    if claimed:
        _keep_answer(entry, answer.body or {})
    return bool(claimed)


def _keep_answer(entry: OutboxEntry, body: dict) -> None:
    """Astro's ids on what the receipt prints: offers' and rewards' reward ids."""
    if entry.path == "sales/":
        Sale.objects.filter(pk=entry.sale_id).update(astro_answer=body)
        for applied in body.get("offers_applied", []):
            entry.sale.rewards.filter(
                kind=RewardKind.OFFER, astro_ref=str(applied["offer_id"])
            ).update(reward_id=applied["reward_id"])
    elif entry.reward_id and body.get("reward_id"):
        SaleReward.objects.filter(pk=entry.reward_id).update(reward_id=body["reward_id"])


def send_again(entry: OutboxEntry) -> None:
    """A refused request, fixed since (the customer linked), goes back in the queue."""
    OutboxEntry.objects.filter(pk=entry.pk, state=EntryState.REFUSED).update(
        state=EntryState.PENDING
    )
