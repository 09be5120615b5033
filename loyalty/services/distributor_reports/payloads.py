"""What a distributor receives for each kind of report (docs/distributor-reports.md)."""

from typing import Any

from django.db.models import OuterRef, QuerySet

from loyalty.models import DistributorReport, OfferRedemption, ReportKind, VisitLine


def report_payload(report: DistributorReport) -> dict[str, Any]:
    """What the distributor receives: the reward, the program or offer, the store and the owner
    data the manufacturer requires."""
    if report.offer_redemption_id:
        return _offer_payload(report)
    return _card_payload(report)


def _card_payload(report: DistributorReport) -> dict[str, Any]:
    redemption = report.redemption
    if redemption is None:
        raise ValueError(f"Report {report.pk} is not about a card's redemption.")
    card = redemption.card
    program_card = card.program_card
    owner, location = card.owner, redemption.location
    item = report.corrected_item or redemption.item  # a resubmission's corrected free item
    payload: dict[str, Any] = {
        "report_id": str(report.pk),
        "kind": report.kind,
        "reward_id": redemption.reward_id,
        "redeemed_at": redemption.redeemed_at.isoformat(),
        "program": program_card.program.name,
        "program_card": program_card.name,
        "card": card.card_number,
        "purchases_required": program_card.purchases_required,
        "item": {"description": item.description, "upc": item.gtin, "size": item.size},
        "store": _store(report, location),
        "owner": {"first_name": owner.first_name, "last_name": owner.last_name},
    }
    if program_card.requires_email:
        payload["owner"]["email"] = owner.email
    if program_card.requires_address:
        payload["owner"] |= {
            "address": owner.address_line,
            "city": owner.city,
            "state": owner.state,
            "postal_code": owner.postal_code,
        }
    if report.corrects_id:  # SPEC §3 Undo: cancel, or cancel and replace
        payload |= _correction(report)
    if report.revision:  # SPEC §6: a declined claim, corrected and resubmitted
        payload["revision"] = report.revision
    if (reopen := report.reopen_request) is not None:
        returned = reopen.purchase
        payload["reopen_request"] = {
            "requested_at": reopen.requested_at.isoformat(),
            "returned_item": returned.item.description if returned.item else "",
        }
    return payload


def _correction(report: DistributorReport) -> dict[str, Any]:
    """What a correction adds: the report and reward it corrects. For cancel and replace the
    payload's own reward and item are the replacement."""
    corrected = report.corrects
    # A correction always names the report it corrects, and that report its redemption.
    assert corrected is not None and corrected.redemption is not None
    original = corrected.redemption
    replace = report.kind == ReportKind.CANCEL_AND_REPLACE
    return {
        "correction": "cancel_and_replace" if replace else "cancel",
        "corrects": {
            "report_id": str(corrected.pk),
            "reward_id": original.reward_id,
            "item": {"description": original.item.description, "upc": original.item.gtin},
        },
    }


def _offer_payload(report: DistributorReport) -> dict[str, Any]:
    """An offer applied to a sale (SPEC §2): which offer, how often, the discount given, and the
    first qualifying item of the sale. Offers ask only for the owner's name."""
    if report.offer_redemption_id is None:
        raise ValueError(f"Report {report.pk} is not about an offer.")
    applied = OfferRedemption.objects.select_related(
        "offer__manufacturer", "owner", "location", "visit"
    ).get(pk=report.offer_redemption_id)
    offer, owner = applied.offer, applied.owner
    line = (
        qualifying_lines(visit_id=applied.visit_id, offer_id=applied.offer_id)
        .select_related("item")
        .first()
    )
    return {
        "report_id": str(report.pk),
        "kind": report.kind,
        "reward_id": applied.reward_id,
        "redeemed_at": applied.redeemed_at.isoformat(),
        "offer": {
            "name": offer.name,
            "kind": offer.kind,
            "manufacturer": offer.manufacturer.name if offer.manufacturer else "",
        },
        "times_applied": applied.times,
        "discount": str(applied.discount),
        "pos_sale_id": applied.visit.pos_sale_id,
        "item": _line_item(line),
        "store": _store(report, applied.location),
        "owner": {"first_name": owner.first_name, "last_name": owner.last_name},
    } | ({"revision": report.revision} if report.revision else {})


def qualifying_lines(*, visit_id, offer_id) -> QuerySet[VisitLine]:
    """The sale lines that earned an offer: bought (not returned) items on the offer's list.
    Takes ids or OuterRefs, so a screen can use it as a subquery."""
    return VisitLine.objects.filter(
        visit_id=visit_id, item__offers=offer_id, quantity__gt=0
    ).order_by("pk")


def qualifying_item_description(prefix: str) -> QuerySet:
    """For a list's subquery: the first qualifying item of the offer redemption at `prefix`."""
    lines = qualifying_lines(
        visit_id=OuterRef(f"{prefix}__visit_id"), offer_id=OuterRef(f"{prefix}__offer_id")
    )
    return lines.values("item__description")[:1]


def _line_item(line: VisitLine | None) -> dict[str, Any]:
    if line is None or line.item is None:  # the offer's item list changed since the sale
        return {"description": "", "upc": "", "size": "", "quantity": 0}
    return {
        "description": line.item.description,
        "upc": line.item.gtin,
        "size": line.item.size,
        "quantity": line.quantity,
    }


def _store(report: DistributorReport, location) -> dict[str, str]:
    return {
        "name": report.retailer.name,
        "location": location.name if location else "",
        "distributor_account_number": report.account_number,
    }
