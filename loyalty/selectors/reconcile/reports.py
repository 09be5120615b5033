"""Reconcile, distributor reports (SPEC §3, §6): every reward the distributor pays for is
claimed exactly once, every undone one corrected, every sent one acknowledged, and nothing of a
test owner or of a custom program ever goes out."""

from collections.abc import Iterator

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from loyalty.models import DistributorReport, Redemption, ReportKind, ReportState
from loyalty.models.programs import PLATFORM_KINDS
from loyalty.models.reports import DELIVERED_STATES

from .base import Discrepancy, Scope


def sent_or_later_states() -> tuple[str, ...]:
    """The states of a report the receiver has taken: sent, and any state a report reaches only
    after being sent (a distributor's credit decision). The one place to add such a state."""
    return tuple(sorted(DELIVERED_STATES))


# A reward's claim: its own report, or the cancel-and-replace correction that announced it
# (services/distributor_reports/corrections.py settles the same rows on Undo).
_CLAIMS = Q(kind=ReportKind.REDEMPTION, reopen_request__isnull=True, corrects__isnull=True) | Q(
    kind=ReportKind.CANCEL_AND_REPLACE
)


def _reportable(scope: Scope) -> QuerySet[Redemption]:
    """SPEC §3/§6: manufacturer programs' rewards of real owners (never Sally's)."""
    redemptions = Redemption.objects.filter(
        retailer_id=scope.retailer_id,
        card__program_card__program__kind__in=PLATFORM_KINDS,
        card__owner__is_test=False,
    )
    if scope.since is not None:
        redemptions = redemptions.filter(
            Q(redeemed_at__gte=scope.since) | Q(undone_at__gte=scope.since)
        )
    return redemptions


def _claim_ids(redemption: Redemption) -> list[str]:
    claims = redemption.reports.filter(_CLAIMS).values_list("pk", flat=True)
    return sorted(str(pk) for pk in claims)


def one_report_per_redemption(scope: Scope) -> Iterator[Discrepancy]:
    """A reward standing has exactly one live claim (pending, sent or failed, not withdrawn)."""
    live = (
        Q(
            reports__kind=ReportKind.REDEMPTION,
            reports__reopen_request__isnull=True,
            reports__corrects__isnull=True,
        )
        | Q(reports__kind=ReportKind.CANCEL_AND_REPLACE)
    ) & ~Q(reports__state=ReportState.WITHDRAWN)
    standing = (
        _reportable(scope)
        .filter(undone_at__isnull=True)
        .annotate(claims=Count("reports", filter=live, distinct=True))
        .exclude(claims=1)
    )
    for redemption in standing.order_by("pk"):
        yield Discrepancy(
            "redemption_report_count",
            f"Reward {redemption.reward_id} has {redemption.claims} live reports to its "
            "distributor; a reward is claimed exactly once.",
            {"redemption": [redemption.pk], "report": _claim_ids(redemption)},
        )


def undone_redemption_corrected(scope: Scope) -> Iterator[Discrepancy]:
    """An undone reward's claims were withdrawn before they went out, or, once sent, each has
    its correction (cancel, or cancel and replace) that was not itself withdrawn."""
    corrected = DistributorReport.objects.filter(corrects=OuterRef("pk")).exclude(
        state=ReportState.WITHDRAWN
    )
    claims = DistributorReport.objects.filter(
        _CLAIMS, redemption__in=_reportable(scope).filter(undone_at__isnull=False)
    ).exclude(state=ReportState.WITHDRAWN)
    wrong = claims.annotate(corrected=Exists(corrected)).filter(
        ~Q(state__in=sent_or_later_states()) | Q(corrected=False)
    )
    for report in wrong.select_related("redemption").order_by("created_at", "pk"):
        if report.state in sent_or_later_states():
            why = "was sent and has no correction"
        else:
            why = f"is still {report.get_state_display().lower()} instead of withdrawn"
        yield Discrepancy(
            "undone_redemption_uncorrected",
            f"Reward {getattr(report.redemption, 'reward_id', '')} was undone, but its report "
            f"{report.pk} {why}.",
            {"redemption": [report.redemption_id], "report": [str(report.pk)]},
        )


def sent_report_acknowledged(scope: Scope) -> Iterator[Discrepancy]:
    """A report marked sent was answered 2xx by the receiver: the time of that answer (sent_at)
    and at least one try are on the row."""
    reports = DistributorReport.objects.filter(
        retailer_id=scope.retailer_id, state__in=sent_or_later_states()
    ).filter(Q(sent_at__isnull=True) | Q(attempts=0))
    if scope.since is not None:
        reports = reports.filter(created_at__gte=scope.since)
    for report in reports.order_by("created_at", "pk"):
        yield Discrepancy(
            "sent_report_unacknowledged",
            f"Report {report.pk} is marked {report.get_state_display().lower()} but holds no "
            "acknowledgement from the receiver.",
            {"report": [str(report.pk)]},
        )


def test_owner_never_reported(scope: Scope) -> Iterator[Discrepancy]:
    """SPEC §3: nothing of a test owner (Sally) and nothing of a custom program is reported."""
    reports = DistributorReport.objects.filter(retailer_id=scope.retailer_id).filter(
        Q(redemption__card__owner__is_test=True)
        | Q(offer_redemption__owner__is_test=True)
        | Q(redemption__isnull=False)
        & ~Q(redemption__card__program_card__program__kind__in=PLATFORM_KINDS)
    )
    if scope.since is not None:
        reports = reports.filter(created_at__gte=scope.since)
    for report in reports.order_by("created_at", "pk"):
        yield Discrepancy(
            "test_owner_reported",
            f"Report {report.pk} ({report.get_kind_display()}) is about a test owner or a "
            "custom program, which are never reported.",
            {"report": [str(report.pk)], "redemption": [report.redemption_id or ""]},
        )
