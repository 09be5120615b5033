"""Reconcile: proves a store's books add up (cards, provenance, points, distributor reports).

Each check is a plain function of a Scope returning Discrepancy rows; one module per family of
checks. `reconcile()` runs them all; the command, the screen and the nightly task are thin."""

from collections.abc import Callable, Iterable

from loyalty.models import Retailer

from . import cards, points, provenance, reports
from .base import Discrepancy, Scope

Check = Callable[[Scope], Iterable[Discrepancy]]

# Every check, in the order a reader follows the money: cards, where punches came from, points,
# then what went to the distributors.
CHECKS: tuple[Check, ...] = (
    cards.card_punch_count,
    cards.open_card_over_limit,
    cards.card_redemption_state,
    cards.rows_of_another_store,
    provenance.purchase_provenance,
    provenance.sale_line_overpunched,
    points.points_balance_matches_ledger,
    reports.one_report_per_redemption,
    reports.undone_redemption_corrected,
    reports.sent_report_acknowledged,
    reports.test_owner_never_reported,
)


def reconcile(*, retailer: Retailer, since=None) -> list[Discrepancy]:
    """Every discrepancy in one retailer's books (rows touched since `since`, if given)."""
    scope = Scope(retailer_id=retailer.pk, since=since)
    return [found for check in CHECKS for found in check(scope)]


__all__ = ["CHECKS", "Discrepancy", "Scope", "reconcile"]
