"""What an open sale would get before it is paid: the running offers its lines qualify for.

SPEC §5: offers apply by themselves when the paid sale is posted
(`loyalty.services.offers.apply_offers`). A register shows them on the open sale first, so the
customer pays the discounted price; this reads the same items, the same running offers and the
same rule (`offer_discount`) as the posting, at the time given, and writes nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from loyalty.models import Offer, Retailer
from loyalty.selectors.loyalty_state import running_offers
from loyalty.selectors.matching import find_items
from loyalty.services.offers import offer_discount

CODE_FIELDS = ("upc", "ean", "item_number")


@dataclass(frozen=True)
class OfferQuote:
    """One offer the sale qualifies for: how often, how much, and on which lines."""

    offer: Offer
    times: int
    discount: Decimal
    line_ids: tuple[str, ...]

    @property
    def offer_id(self) -> int:
        return self.offer.pk


@dataclass(frozen=True)
class SaleQuote:
    offers: tuple[OfferQuote, ...]
    quoted_at: datetime

    @property
    def discount_total(self) -> Decimal:
        return sum((quote.discount for quote in self.offers), Decimal("0.00"))


def line_codes(line: Mapping[str, Any]) -> list[str]:
    """The codes of a posted line, best first, as the sale posting reads them."""
    return [line[name] for name in CODE_FIELDS if line.get(name, "").strip()]


def quote_offers(*, retailer: Retailer, lines: Sequence[Mapping[str, Any]], at: datetime):
    """The offers these lines would get if the sale were paid at `at`. Three queries: the
    items, the running offers, their qualifying items."""
    offers = running_offers(retailer=retailer, at=at)
    if not offers:
        return SaleQuote((), at)
    items = find_items(retailer=retailer, lines=[line_codes(line) for line in lines])
    qualifying: dict[int, set[int]] = defaultdict(set)
    through = Offer.qualifying_items.through
    for offer_id, item_id in through.objects.filter(offer__in=offers).values_list(
        "offer_id", "item_id"
    ):
        qualifying[offer_id].add(item_id)
    quotes = []
    for offer in offers:
        # Sold units only: a returned line never earns an offer (as in apply_offers).
        matched = [
            (line, item)
            for line, item in zip(lines, items, strict=True)
            if item is not None and item.pk in qualifying[offer.pk] and line["quantity"] > 0
        ]
        prices = [line["unit_price"] for line, _item in matched for _ in range(line["quantity"])]
        times, discount = offer_discount(
            kind=offer.kind,
            buy_quantity=offer.buy_quantity,
            amount_off=offer.amount_off,
            max_per_visit=offer.max_per_visit,
            unit_prices=prices,
        )
        if times:
            ids = tuple(line["line_id"] for line, _item in matched)
            quotes.append(OfferQuote(offer, times, discount, ids))
    return SaleQuote(tuple(quotes), at)
