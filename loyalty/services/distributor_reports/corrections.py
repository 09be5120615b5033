"""Undoing a reported redemption (SPEC §3 Undo, §6): a report still pending is withdrawn and
never sent; a report already sent is followed by a correction through the same outbox (the
same row lock, idempotency key, retries and catch-up as any report)."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q

from loyalty.models import DistributorReport, Redemption, ReportKind, ReportState
from loyalty.models.reports import is_sent_or_later

from .outbox import _enqueue

# The reports a redemption's Undo settles: its own report to each distributor, or, for the
# replacement given by Remove and Reselect, the cancel-and-replace correction that announced it
# (a reopen request is left as it is).
_REPORTS_OF_A_REWARD = (
    Q(reopen_request__isnull=True, corrects__isnull=True) & ~Q(kind=ReportKind.OFFER_REDEMPTION)
) | Q(kind=ReportKind.CANCEL_AND_REPLACE)


@dataclass
class Settled:
    withdrawn: list[DistributorReport] = field(default_factory=list)
    sent: list[DistributorReport] = field(default_factory=list)


def settle_reports(redemption: Redemption) -> Settled:
    """Lock the redemption's reports and withdraw each one not delivered yet. The lock waits for
    a send in progress (which holds it across its one HTTP call), so a report is either
    withdrawn before it went out or seen as sent afterwards, never both."""
    settled = Settled()
    reports = (
        DistributorReport.objects.select_for_update(of=("self",))
        .filter(_REPORTS_OF_A_REWARD, redemption=redemption)
        .exclude(state=ReportState.WITHDRAWN)
        .select_related("distributor", "corrects__distributor")
        .order_by("created_at", "id")
    )
    for report in reports:
        if is_sent_or_later(report.state):  # sent, or answered by the distributor since
            settled.sent.append(report)
            continue
        report.state = ReportState.WITHDRAWN
        report.last_error = "Withdrawn: the redemption was undone before this report was sent."
        report.save(update_fields=["state", "last_error"])
        settled.withdrawn.append(report)
        if report.revision:
            # A resubmission not sent yet: its earlier revision reached the distributor.
            settled.sent.append(report)
            continue
        if report.corrects is not None:
            # A cancel-and-replace never sent: the reward it replaced still stands at the
            # distributor, so that report is the one to correct now.
            settled.sent.append(report.corrects)
    return settled


def write_corrections(
    *, sent: list[DistributorReport], redemption: Redemption, replace: bool
) -> list[DistributorReport]:
    """One correction per sent report, to the same distributor and account: cancel (of the
    reward that report told of), or cancel and replace (`redemption` replaces it)."""
    corrections = []
    for report in sent:
        try:
            with transaction.atomic():
                correction = DistributorReport.objects.create(
                    retailer_id=report.retailer_id,
                    distributor=report.distributor,
                    account_number=report.account_number,
                    kind=ReportKind.CANCEL_AND_REPLACE if replace else ReportKind.CANCEL,
                    redemption=redemption if replace else report.redemption,
                    corrects=report,
                )
        except IntegrityError:
            continue  # corrected already: the constraint is the last line
        _enqueue(correction)
        corrections.append(correction)
    return corrections
