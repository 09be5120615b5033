"""What the sale screen and the receipt show: lines, Astro discounts with their reward ids,
the totals with the full tax, and where the sale stands with Astro."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import EntryState, OutboxEntry, RewardKind, Sale, SaleLine, SaleReward
from .totals import Totals, sale_totals


@dataclass(frozen=True)
class AstroDelivery:
    """Where the paid sale's requests to Astro stand."""

    entries: tuple[OutboxEntry, ...]

    @property
    def state(self) -> str:
        states = {entry.state for entry in self.entries}
        if not states:
            return "none"
        if EntryState.PENDING in states:
            return "queued"
        return "refused" if EntryState.REFUSED in states else "sent"

    @property
    def refusals(self) -> list[str]:
        return [e.last_error for e in self.entries if e.state == EntryState.REFUSED]


@dataclass(frozen=True)
class SaleSummary:
    sale: Sale
    lines: tuple[SaleLine, ...]
    rewards: tuple[SaleReward, ...]
    totals: Totals
    delivery: AstroDelivery

    @property
    def discounts(self) -> list[SaleReward]:
        return [reward for reward in self.rewards if reward.is_discount]

    @property
    def offers(self) -> list[SaleReward]:
        return [reward for reward in self.rewards if reward.kind == RewardKind.OFFER]

    @property
    def answer(self) -> dict[str, Any]:
        return self.sale.astro_answer or {}

    @property
    def points_used(self) -> int:
        return sum((entry.answer or {}).get("points_spent", 0) for entry in self._sent)

    @property
    def points_balance(self) -> int | None:
        """The balance after everything this sale sent (its points, then rewards used)."""
        balances = [e.answer["points_balance"] for e in self._sent if "points_balance" in e.answer]
        return balances[-1] if balances else None

    @property
    def _sent(self) -> list[OutboxEntry]:
        return [e for e in self.delivery.entries if e.state == EntryState.SENT and e.answer]

    @property
    def offers_added_by_astro(self) -> list[dict[str, Any]]:
        """Offers Astro applied on arrival that the till did not give (it could not ask)."""
        given = {reward.astro_ref for reward in self.offers}
        applied = self.answer.get("offers_applied", [])
        return [offer for offer in applied if str(offer["offer_id"]) not in given]


def summarize(sale: Sale) -> SaleSummary:
    lines = tuple(sale.lines.select_related("product"))
    rewards = tuple(sale.rewards.select_related("line__product"))
    totals = sale_totals(
        lines=[(line.amount, line.is_reward) for line in lines],
        discounts=[reward.amount for reward in rewards if reward.is_discount],
        tax_rate=sale.store.tax_rate,
    )
    entries = tuple(sale.outbox.order_by("pk"))
    return SaleSummary(sale, lines, rewards, totals, AstroDelivery(entries))
