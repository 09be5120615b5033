"""Enrolling a store in a manufacturer program (SPEC §2 Enrollment)."""

from django.db import IntegrityError, transaction

from loyalty.errors import DomainError
from loyalty.models import Distributor, Enrollment, Location, Program, Retailer, User

from .audit import record_audit


def distributors_for(program: Program, *, holding: Distributor | None = None) -> list[Distributor]:
    """The distributors that serve the program, and the Temporary Holding Distributor."""
    serving = list(program.distributors.all())
    holding = holding or Distributor.objects.filter(is_temporary_holding=True).first()
    return serving + ([holding] if holding and holding not in serving else [])


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
    if program.retailer_id is not None or not program.is_active:
        raise DomainError("Only an active manufacturer program can be enrolled in.")
    if distributor not in distributors_for(program):
        raise DomainError(f"{distributor} does not serve {program.name}.")
    if not distributor.is_temporary_holding and not account_number.strip():
        raise DomainError(f"Enter the store's account number at {distributor}.")
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                retailer=retailer,
                location=location,
                program=program,
                distributor=distributor,
                account_number=account_number.strip(),
            )
    except IntegrityError as exc:
        raise DomainError(f"The store is already enrolled in {program.name}.") from exc
    record_audit(
        retailer=retailer,
        actor=actor,
        action="enrollment.created",
        target=enrollment,
        data={"program": program.name, "distributor": distributor.name},
    )
    return enrollment
