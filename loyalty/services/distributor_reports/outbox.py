"""Distributor reports (SPEC §6): written with the redemption, sent after commit, caught up.

A report row is written in the same transaction as its redemption, reopen request or offer (the
outbox) and queued for sending once that commits; sending.py sends it, and this module
re-exports its entry points so callers need one import.
"""

import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from loyalty.errors import DomainError
from loyalty.models import (
    Distributor,
    DistributorReport,
    Enrollment,
    OfferRedemption,
    Redemption,
    ReopenRequest,
    ReportKind,
    ReportState,
    User,
)
from loyalty.models.programs import DeliveryMethod
from loyalty.rules import reporting
from loyalty.services.audit import record_audit

from .payloads import report_payload  # noqa: F401 - the payload, for callers of this module
from .sending import (  # noqa: F401 - the sending side, for callers of this module
    BACKOFF_CAP_SECONDS,
    backoff_seconds,
    pending_retry_delay,
    send_due_reports,
    send_report,
)

logger = logging.getLogger(__name__)


def _enrollment_for(redemption: Redemption) -> Enrollment | None:
    """The location's own enrollment in the program first, else the whole store's."""
    enrollments = Enrollment.objects.filter(
        Q(location=redemption.location) | Q(location__isnull=True),
        retailer_id=redemption.retailer_id,
        program_id=redemption.card.program_card.program_id,
    ).select_related("distributor")
    return min(enrollments, key=lambda e: e.location_id is None, default=None)


def is_reportable(redemption: Redemption) -> bool:
    """SPEC §3/§6: see rules.reporting (custom programs and test owners never report)."""
    card = redemption.card
    return reporting.is_reportable(
        program_is_reportable=card.program_card.program.is_reportable,
        owner_is_test=card.owner.is_test,
    )


def write_report(
    *, redemption: Redemption, reopen_request: ReopenRequest | None = None
) -> DistributorReport | None:
    """The outbox row for a reportable event, and its send queued for after the commit."""
    if not is_reportable(redemption):
        return None  # SPEC §3: custom programs and test owners such as Sally never report
    enrollment = _enrollment_for(redemption)
    if enrollment is None:
        return None
    try:
        with transaction.atomic():
            report = DistributorReport.objects.create(
                retailer_id=redemption.retailer_id,
                distributor=enrollment.distributor,
                account_number=enrollment.account_number,
                kind=ReportKind.REOPEN_REQUEST if reopen_request else ReportKind.REDEMPTION,
                redemption=redemption,
                reopen_request=reopen_request,
            )
    except IntegrityError:
        return None  # already written for this event: the constraint is the last line
    _enqueue(report)
    return report


def _enrollment_for_offer(applied: OfferRedemption) -> Enrollment | None:
    """SPEC §2: an offer is the manufacturer's, so it goes where the store sends that
    manufacturer's programs: the location's own enrollment first, then the whole store's, a
    real distributor before the Temporary Holding one, the oldest enrollment on a tie."""
    if applied.offer.manufacturer_id is None:
        return None
    enrollments = Enrollment.objects.filter(
        Q(location_id=applied.location_id) | Q(location__isnull=True),
        retailer_id=applied.retailer_id,
        program__manufacturer_id=applied.offer.manufacturer_id,
    ).select_related("distributor")
    return min(
        enrollments,
        key=lambda e: (e.location_id is None, e.distributor.is_temporary_holding, e.pk),
        default=None,
    )


def write_offer_report(*, applied: OfferRedemption) -> DistributorReport | None:
    """The outbox row for an offer applied to a real owner's sale, in the caller's transaction.
    With no enrollment for the offer's manufacturer it waits at the Temporary Holding
    Distributor (no account number), so the redemption is not lost."""
    if applied.owner.is_test:
        return None  # SPEC §3: nothing of Sally's is ever reported
    enrollment = _enrollment_for_offer(applied)
    distributor: Distributor | None
    if enrollment is not None:
        distributor, account_number = enrollment.distributor, enrollment.account_number
    else:
        distributor = Distributor.objects.filter(is_temporary_holding=True).first()
        account_number = ""
    if distributor is None:
        logger.error("No Temporary Holding Distributor: offer %s is not reported.", applied.pk)
        return None
    try:
        with transaction.atomic():
            report = DistributorReport.objects.create(
                retailer_id=applied.retailer_id,
                distributor=distributor,
                account_number=account_number,
                kind=ReportKind.OFFER_REDEMPTION,
                offer_redemption=applied,
            )
    except IntegrityError:
        return None  # already written for this offer redemption
    _enqueue(report)
    return report


def release_held_offer_reports(enrollment: Enrollment) -> int:
    """Offer reports held for want of an enrollment with the offer's manufacturer go to the
    distributor the store now enrolled with; the catch-up sweep sends them. A whole-store
    enrollment leaves the offers of locations with their own enrollment with that maker."""
    manufacturer_id = enrollment.program.manufacturer_id
    if manufacturer_id is None or enrollment.distributor.is_temporary_holding:
        return 0
    held = DistributorReport.objects.filter(
        retailer_id=enrollment.retailer_id,
        state=ReportState.PENDING,
        distributor__is_temporary_holding=True,
        offer_redemption__offer__manufacturer_id=manufacturer_id,
    )
    if enrollment.location_id is not None:
        held = held.filter(offer_redemption__location_id=enrollment.location_id)
    else:
        own = Enrollment.objects.filter(
            retailer_id=enrollment.retailer_id,
            program__manufacturer_id=manufacturer_id,
            location__isnull=False,
        ).values("location_id")
        held = held.exclude(offer_redemption__location_id__in=own)
    return held.update(distributor=enrollment.distributor, account_number=enrollment.account_number)


def _enqueue(report: DistributorReport) -> None:
    if report.distributor.delivery_method != DeliveryMethod.HOLD:
        transaction.on_commit(partial(_send_soon, str(report.pk)))


def _send_soon(report_id: str) -> None:
    """After commit: queue the send through DISTRIBUTOR_REPORT_QUEUE (the Celery task by default;
    a setting, so this module never imports the tasks that import it). If the broker is
    unreachable the row is already saved and the catch-up sends it, so the cashier's request
    must not fail over it."""
    try:
        import_string(settings.DISTRIBUTOR_REPORT_QUEUE)(report_id)
    except Exception:  # noqa: BLE001 - any broker or in-process send error; the outbox holds it
        logger.warning("Report %s not queued; the catch-up will send it.", report_id, exc_info=True)


@transaction.atomic
def resend_report(*, report: DistributorReport, actor: User) -> DistributorReport:
    """An admin re-sends a failed report (after the distributor fixed the account, say)."""
    claimed = DistributorReport.objects.filter(pk=report.pk, state=ReportState.FAILED).update(
        state=ReportState.PENDING, next_attempt_at=timezone.now()
    )
    report.refresh_from_db()
    if not claimed:
        raise DomainError(f"This report is {report.get_state_display().lower()}, not failed.")
    record_audit(
        retailer=report.retailer,
        actor=actor,
        action="report.resent",
        target=report,
        data={"distributor": report.distributor.name, "last_error": report.last_error[:200]},
    )
    _enqueue(report)
    return report
