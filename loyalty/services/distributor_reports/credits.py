"""A distributor's answer to a claim (SPEC §6 credit status), and the admin's resubmission of a
declined one. Each change is a ReportStatusChange row, written with the report's, under the
report's row lock, so two answers at once are applied one after the other."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from loyalty.errors import DomainError
from loyalty.models import (
    AnswerSource,
    DistributorReport,
    Item,
    ReportKind,
    ReportState,
    ReportStatusChange,
    User,
)
from loyalty.rules import credit_status
from loyalty.services.audit import record_audit

from .outbox import _enqueue

# A card's claims: its redemption, or the replacement a cancel-and-replace announced.
CARD_CLAIMS = (ReportKind.REDEMPTION, ReportKind.CANCEL_AND_REPLACE)


class AnswerRefused(DomainError):
    """The answer cannot apply (not delivered yet, an old revision): nothing changed."""


class EventReused(DomainError):
    """The distributor's event id was used before with another body."""


@dataclass(frozen=True)
class CreditAnswer:
    """What the distributor said about one revision of one claim."""

    status: str  # ReportState.CREDITED or ReportState.DECLINED
    revision: int = 0
    reason: str = ""
    note: str = ""
    amount: Decimal | None = None
    event_id: str = ""


def claim_value(report: DistributorReport) -> Decimal:
    """What the claim is worth to the store: an offer's discount, or the free item's list
    price (the corrected item's for a resubmission); 0 when the catalog has no price."""
    if report.offer_redemption is not None:
        return report.offer_redemption.discount
    if report.redemption is None or report.kind not in CARD_CLAIMS:
        return Decimal("0.00")
    item = report.corrected_item or report.redemption.item
    return item.list_price or Decimal("0.00")


def answer_report(
    *,
    report: DistributorReport,
    answer: CreditAnswer,
    source: str,
    actor: User | None = None,
    body_sha256: str = "",
) -> str:
    """Apply the answer; returns "applied", "unchanged" (it says what the report already says)
    or "duplicate" (this event id was applied before), and leaves `report` as saved. Raises
    AnswerRefused or EventReused."""
    try:
        with transaction.atomic():
            outcome, saved = _answer_locked(report, answer, source, actor, body_sha256)
    except IntegrityError:
        # The same event at the same moment on a database without row locks: the unique
        # constraint let one in.
        if answer.event_id:
            return "duplicate"
        raise
    report.state, report.credit_amount = saved.state, saved.credit_amount
    report.decline_reason, report.decline_note = saved.decline_reason, saved.decline_note
    return outcome


def _answer_locked(report, answer, source, actor, body_sha256) -> tuple[str, DistributorReport]:
    report = (
        DistributorReport.objects.select_for_update(of=("self",))
        .select_related("offer_redemption", "redemption__item", "corrected_item")
        .get(pk=report.pk)
    )
    if _seen_before(report, answer, body_sha256):
        return "duplicate", report
    refusal = credit_status.refusal(
        state=report.state, revision=answer.revision, current_revision=report.revision
    )
    if refusal:
        raise AnswerRefused(refusal)
    credited = answer.status == ReportState.CREDITED
    amount = (
        (answer.amount if answer.amount is not None else claim_value(report)) if credited else None
    )
    reason = "" if credited else answer.reason
    if (report.state, report.decline_reason, report.credit_amount) == (
        answer.status,
        reason,
        amount,
    ):
        return "unchanged", report
    change = ReportStatusChange(
        retailer_id=report.retailer_id,
        report=report,
        distributor_id=report.distributor_id,
        from_state=report.state,
        to_state=answer.status,
        revision=report.revision,
        reason=reason,
        note=answer.note[:500],
        amount=amount,
        source=source,
        event_id=answer.event_id,
        body_sha256=body_sha256,
        actor=actor if actor and actor.pk else None,
    )
    report.state, report.decline_reason, report.credit_amount = answer.status, reason, amount
    report.decline_note = "" if credited else answer.note[:500]
    report.answered_at = change.at = timezone.now()
    report.save(
        update_fields=["state", "decline_reason", "decline_note", "credit_amount", "answered_at"]
    )
    change.save()
    return "applied", report


def _seen_before(report: DistributorReport, answer: CreditAnswer, body_sha256: str) -> bool:
    """Whether this distributor's event was applied before (read under the report's lock, so a
    repeat arriving at the same moment waits for the first and then sees it)."""
    if not answer.event_id:
        return False
    seen = ReportStatusChange.objects.filter(
        distributor_id=report.distributor_id, event_id=answer.event_id
    ).first()
    if seen is None:
        return False
    if body_sha256 and seen.body_sha256 and seen.body_sha256 != body_sha256:
        raise EventReused(f"Event {answer.event_id} was sent before with another body.")
    return True


@dataclass(frozen=True)
class Correction:
    """What the admin fixed before resubmitting: the free item, the account number, a note."""

    item: Item | None = None
    account_number: str = ""
    note: str = ""


@transaction.atomic
def resubmit_report(
    *, report: DistributorReport, actor: User, correction: Correction
) -> DistributorReport:
    """Send a declined claim again, corrected, as its next revision (a new Idempotency-Key, so
    the receiver takes it as new and still drops a repeat of it)."""
    locked = DistributorReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if locked.state != ReportState.DECLINED:
        label = locked.get_state_display().lower()
        raise DomainError(f"This claim is {label}: only a declined claim can be resubmitted.")
    fixed = _describe(locked, correction)
    if correction.item is not None:
        locked.corrected_item = correction.item
    if correction.account_number:
        locked.account_number = correction.account_number
    previous = locked.state
    locked.revision += 1
    locked.state, locked.attempts, locked.last_error = ReportState.PENDING, 0, ""
    locked.next_attempt_at = timezone.now()
    locked.save()
    note = " ".join(part for part in [*fixed, correction.note.strip()] if part)
    ReportStatusChange.objects.create(
        retailer_id=locked.retailer_id,
        report=locked,
        distributor_id=locked.distributor_id,
        from_state=previous,
        to_state=ReportState.PENDING,
        revision=locked.revision,
        reason=locked.decline_reason,
        note=f"Resubmitted as revision {locked.revision}. {note}".strip()[:500],
        source=AnswerSource.ADMIN,
        actor=actor,
    )
    record_audit(
        retailer=locked.retailer,
        actor=actor,
        action="report.resubmitted",
        target=locked,
        data={"revision": locked.revision, "fixed": fixed, "note": correction.note[:200]},
    )
    _enqueue(locked)
    return locked


def _describe(report: DistributorReport, correction: Correction) -> list[str]:
    """The corrections in words, for the history and the audit."""
    fixed = []
    item = report.corrected_item or (report.redemption.item if report.redemption else None)
    if correction.item is not None and item is not None and correction.item.pk != item.pk:
        fixed.append(f"Free item: {item} → {correction.item}.")
    if correction.account_number and correction.account_number != report.account_number:
        fixed.append(
            f"Account number: {report.account_number or '—'} → {correction.account_number}."
        )
    return fixed
