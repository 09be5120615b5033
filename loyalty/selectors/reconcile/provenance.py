"""Reconcile, provenance: every punch traces to a sale line or to an audited entry.

PROVENANCE_KINDS lists every accepted origin of a purchase, each as the filter of the purchases
it accounts for. A new way of making purchases adds its kind here in one line (for example a
paper-card import: purchases named by an audited batch entry)."""

from collections.abc import Callable, Iterator

from django.db.models import CharField, Count, F, Q, QuerySet
from django.db.models.functions import Cast

from loyalty.models import AuditEvent, Purchase, VisitLine
from loyalty.models.paper_import import PaperImportState

from .base import Discrepancy, Scope

# Audit actions that may stand for a purchase made without a sale line, by target id.
AUDITED_PURCHASE_ACTIONS = ("purchase.manual", "purchase.exception")


def _on_a_sale_line(purchases: QuerySet[Purchase]) -> QuerySet[Purchase]:
    """Punched by a line of a sale of the same store (an Add Anyway and an exception too)."""
    return purchases.filter(visit_line__isnull=False, visit_line__retailer_id=F("retailer_id"))


def _audited_entry(purchases: QuerySet[Purchase]) -> QuerySet[Purchase]:
    """A manual or exception entry of the cashier, with its audit event naming the purchase."""
    audited = AuditEvent.objects.filter(
        action__in=AUDITED_PURCHASE_ACTIONS, target_type="purchase"
    ).values("target_id")
    key = Cast("pk", output_field=CharField(max_length=50))
    return purchases.annotate(audit_key=key).filter(audit_key__in=audited)


def _paper_card_import(purchases: QuerySet[Purchase]) -> QuerySet[Purchase]:
    """A paper card an admin converted: the purchase names its row of a batch that stands, and
    the row has its audit entry (an undone batch deleted its purchases)."""
    audited = AuditEvent.objects.filter(
        action="paper_import.row", target_type="paperimportrow"
    ).values("target_id")
    key = Cast("paper_import_row_id", output_field=CharField(max_length=50))
    return (
        purchases.filter(paper_import_row__batch__state=PaperImportState.IMPORTED)
        .annotate(row_key=key)
        .filter(row_key__in=audited)
    )


# Kind -> the purchases it accounts for. Anything else is a punch nobody can explain.
PROVENANCE_KINDS: dict[str, Callable[[QuerySet[Purchase]], QuerySet[Purchase]]] = {
    "sale line": _on_a_sale_line,
    "audited manual or exception entry": _audited_entry,
    "audited paper-card import": _paper_card_import,
}


def _scoped(scope: Scope) -> QuerySet[Purchase]:
    purchases = Purchase.objects.filter(retailer_id=scope.retailer_id)
    if scope.since is not None:
        purchases = purchases.filter(purchased_at__gte=scope.since)
    return purchases


def purchase_provenance(scope: Scope) -> Iterator[Discrepancy]:
    """Every purchase, in any state, comes from one of PROVENANCE_KINDS."""
    purchases = _scoped(scope)
    traced = Q(pk__in=[])
    for accounts_for in PROVENANCE_KINDS.values():
        traced |= Q(pk__in=accounts_for(purchases).values("pk"))
    untraced = purchases.exclude(traced).order_by("pk")
    for purchase in untraced:
        yield Discrepancy(
            "purchase_provenance",
            f"Purchase {purchase.pk} on card {purchase.card_id} comes from no sale line and no "
            f"audited entry (accepted: {', '.join(PROVENANCE_KINDS)}).",
            {"purchase": [purchase.pk], "card": [purchase.card_id]},
        )


def sale_line_overpunched(scope: Scope) -> Iterator[Discrepancy]:
    """A sale line punches at most its quantity: nothing of a sale is counted twice."""
    lines = (
        VisitLine.objects.filter(retailer_id=scope.retailer_id)
        .filter(pk__in=_scoped(scope).values("visit_line_id"))
        .annotate(punched=Count("purchases"))
        .filter(punched__gt=F("quantity"))
    )
    for line in lines.order_by("pk"):
        ids = line.purchases.values_list("pk", flat=True)
        yield Discrepancy(
            "sale_line_overpunched",
            f"Sale line {line.pk} (quantity {line.quantity}) made {line.punched} punches.",
            {"visit_line": [line.pk], "purchase": sorted(ids)},
        )
