"""Enrolling a store in a manufacturer program, and leaving it (SPEC §2 Enrollment)."""

from django.db import IntegrityError, transaction

from loyalty.errors import DomainError
from loyalty.models import (
    Distributor,
    DistributorReport,
    Enrollment,
    Location,
    Program,
    ReportState,
    Retailer,
    User,
)
from loyalty.models.programs import ProgramKind

from .audit import record_audit
from .distributor_reports.outbox import release_held_offer_reports


def distributors_for(program: Program, *, holding: Distributor | None = None) -> list[Distributor]:
    """The distributors that serve the program, and the Temporary Holding Distributor."""
    serving = list(program.distributors.all())
    holding = holding or Distributor.objects.filter(is_temporary_holding=True).first()
    return serving + ([holding] if holding and holding not in serving else [])


def _check_can_enroll(
    *, retailer: Retailer, program: Program, distributor: Distributor, account_number: str
) -> None:
    if program.retailer_id is not None or not program.is_active:
        raise DomainError("Only an active manufacturer program can be enrolled in.")
    if distributor not in distributors_for(program):
        raise DomainError(f"{distributor} does not serve {program.name}.")
    if not distributor.is_temporary_holding and not account_number.strip():
        raise DomainError(f"Enter the store's account number at {distributor}.")


def _check_not_enrolled(*, retailer: Retailer, program: Program, location: Location | None) -> None:
    """The same scope twice is refused: the whole account once, each location once. A location
    may have its own enrollment beside the whole account's (its reports use its own)."""
    if location is not None and location.retailer_id != retailer.pk:
        raise DomainError("Choose one of the store's own locations.")
    same_scope = Enrollment.objects.filter(retailer=retailer, program=program, location=location)
    if same_scope.exists():
        where = f"{location.name} is" if location else "The whole account is"
        raise DomainError(f"{where} already enrolled in {program.name}.")


@transaction.atomic
def enroll_program(
    *,
    retailer: Retailer,
    program: Program,
    distributor: Distributor,
    account_number: str,
    actor: User,
    location: Location | None = None,
) -> Enrollment:
    """SPEC §2: the store picks a distributor serving the program and its account number there."""
    _check_can_enroll(
        retailer=retailer, program=program, distributor=distributor, account_number=account_number
    )
    _check_not_enrolled(retailer=retailer, program=program, location=location)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                retailer=retailer,
                location=location,
                program=program,
                distributor=distributor,
                account_number=account_number.strip(),
            )
    except IntegrityError as exc:  # a second tab or a double click won the race
        raise DomainError(f"The store is already enrolled in {program.name}.") from exc
    released = (
        0
        if distributor.is_temporary_holding
        else release_held_reports(enrollment) + release_held_offer_reports(enrollment)
    )
    record_audit(
        retailer=retailer,
        actor=actor,
        action="enrollment.created",
        target=enrollment,
        data={
            "program": program.name,
            "distributor": distributor.name,
            "location": location.name if location else "",
            "released_reports": released,
        },
    )
    enrollment.released_reports = released  # type: ignore[attr-defined]  # for the screen
    return enrollment


def release_held_reports(enrollment: Enrollment) -> int:
    """Reports kept for the Temporary Holding Distributor go to the real distributor the store
    now enrolled with (decisions: held reports wait until then); the catch-up sweep sends them.
    A whole-account enrollment leaves the reports of locations with their own enrollment."""
    held = DistributorReport.objects.filter(
        retailer_id=enrollment.retailer_id,
        state=ReportState.PENDING,
        distributor__is_temporary_holding=True,
        redemption__card__program_card__program_id=enrollment.program_id,
    )
    if enrollment.location_id is not None:
        held = held.filter(redemption__location_id=enrollment.location_id)
    else:
        own = Enrollment.objects.filter(
            retailer_id=enrollment.retailer_id,
            program_id=enrollment.program_id,
            location__isnull=False,
        ).values("location_id")
        held = held.exclude(redemption__location_id__in=own)
    return held.update(distributor=enrollment.distributor, account_number=enrollment.account_number)


@transaction.atomic
def unenroll_program(*, enrollment: Enrollment, actor: User) -> None:
    """Leave a program: from the next sale on its items no longer punch cards (SPEC §2).
    Cards and reports already made stay as they are."""
    if enrollment.program.kind != ProgramKind.MANUFACTURER:
        raise DomainError("Only a manufacturer program enrollment can be ended here.")
    deleted, _ = Enrollment.objects.filter(pk=enrollment.pk).delete()
    if not deleted:
        raise DomainError(f"The store was no longer enrolled in {enrollment.program.name}.")
    record_audit(
        retailer=enrollment.retailer,
        actor=actor,
        action="enrollment.ended",
        target=enrollment,
        data={
            "program": enrollment.program.name,
            "distributor": enrollment.distributor.name,
            "account_number": enrollment.account_number,
            "location": enrollment.location.name if enrollment.location else "",
        },
    )
