"""The demo's distributor answers (SPEC §6 credit status): four more owners who redeemed an
Acana card months ago, their claims delivered and answered (two credited, two declined with a
reason), so Redemption Reports shows each state and an admin can fix and resubmit a declined
one. The store's own redemption stays pending and goes to the receiver sandbox for real. Safe
to run twice: loaded once per store."""

from datetime import timedelta

from django.db import transaction

from loyalty.models import (
    AnswerSource,
    DeclineReason,
    DistributorReport,
    Location,
    PetOwner,
    ReportKind,
    ReportState,
    Retailer,
    User,
)
from loyalty.services.distributor_reports.credits import CreditAnswer, answer_report

from .catalog import sale_codes
from .history import Shop, replay
from .people import OwnerProfile, create_owners
from .plans import PlannedVisit

ITEM = "acana-red-25"
# (owner, the distributor's answer, its reason and note), oldest claim first.
CLAIMS = [
    (("Rosa", "Delgado"), ReportState.CREDITED, "", "Credited on the weekly batch."),
    (("Ken", "Ito"), ReportState.CREDITED, "", "Credited on the weekly batch."),
    (
        ("Maya", "Brooks"),
        ReportState.DECLINED,
        DeclineReason.INELIGIBLE_SIZE,
        "The program credits the 13 lb bag.",
    ),
    (
        ("Omar", "Haddad"),
        ReportState.DECLINED,
        DeclineReason.INSUFFICIENT_QUANTITY,
        "Our invoices show 11 qualifying bags.",
    ),
]


@transaction.atomic
def load_credit_answers(retailer: Retailer, *, cashier: str, location: str) -> int:
    """The four owners, their Acana history and answered claims, once; returns how many."""
    names = [owner for owner, *_ in CLAIMS]
    if PetOwner.objects.filter(retailer=retailer, first_name=names[0][0]).exists():
        return 0
    profiles = [
        OwnerProfile(first, last, f"{first}.{last}@example.com".lower(), "", ("", "", "", ""),
                     False, (("Biscuit", "Dog"),))
        for first, last in names
    ]  # fmt: skip
    shop = Shop(
        retailer=retailer,
        owners=create_owners(retailer, profiles),
        locations={loc.name: loc for loc in Location.objects.filter(retailer=retailer)},
        cashiers={u.username: u for u in User.objects.filter(username=cashier)},
        codes=sale_codes(),
    )
    plans = sorted(
        (
            PlannedVisit(name, 175 - 11 * visit - n, 90 + 20 * n, location, cashier, ((ITEM, 1),),
                         redeem=visit == 12)
            for n, name in enumerate(names)
            for visit in range(13)
        ),
        key=lambda v: (-v.days_ago, v.minute),
    )  # fmt: skip
    replay(shop, plans, prefix="demo-claims-")
    return _answer(retailer, names)


def _answer(retailer: Retailer, names: list[tuple[str, str]]) -> int:
    answered = 0
    for (first, last), status, reason, note in CLAIMS:
        report = DistributorReport.objects.filter(
            retailer=retailer,
            kind=ReportKind.REDEMPTION,
            redemption__card__owner__first_name=first,
            redemption__card__owner__last_name=last,
        ).first()
        if report is None:
            continue
        # Delivered back then (the demo's history is older than the receiver sandbox), and
        # answered on the distributor's next weekly batch.
        report.state, report.attempts = ReportState.SENT, 1
        report.created_at = report.redemption.redeemed_at
        report.sent_at = report.created_at + timedelta(minutes=1)
        report.save(update_fields=["state", "attempts", "created_at", "sent_at"])
        answer = CreditAnswer(status=status, reason=reason, note=note, event_id=f"demo-{report.pk}")
        answer_report(report=report, answer=answer, source=AnswerSource.CALLBACK)
        answered_at = report.sent_at + timedelta(days=7)
        DistributorReport.objects.filter(pk=report.pk).update(answered_at=answered_at)
        report.status_changes.update(at=answered_at)
        answered += 1
    return answered
