"""Mapping a POS customer to a pet owner through the REST API (SPEC §5), one transaction each."""

from django.db import transaction

from loyalty.errors import DomainError
from loyalty.models import PetOwner, PosLink, Retailer
from loyalty.selectors.pos import find_link

from .audit import record_audit

# The owner fields a POS may send are those an admin edits (SPEC §3 pet owner).
from .owners import OWNER_FIELDS, link_pos_customer, unlink_pos_customer


class AlreadyLinked(DomainError):
    """SPEC §3: a POS customer maps to exactly one pet owner."""

    def __init__(self, link: PosLink) -> None:
        super().__init__(
            f"POS customer {link.pos_customer_id} is already linked to Astro pet owner "
            f"{link.owner_id}. Unlink it first (DELETE /api/v1/links/{link.pos_customer_id})."
        )
        self.link = link


def _link(*, owner: PetOwner, pos_system: str, pos_customer_id: str) -> PosLink:
    try:
        return link_pos_customer(
            owner=owner, pos_system=pos_system, pos_customer_id=pos_customer_id, actor=None
        )
    except DomainError:
        # A concurrent request linked it between our look-up and the insert.
        link = find_link(
            retailer=owner.retailer, pos_system=pos_system, pos_customer_id=pos_customer_id
        )
        if link is None:
            raise
        raise AlreadyLinked(link) from None


@transaction.atomic
def create_linked_owner(
    *, retailer: Retailer, pos_system: str, pos_customer_id: str, details: dict
) -> PosLink:
    """ "Yes" in the POS pop-up: a new pet owner from the POS's data, linked to its customer."""
    existing = find_link(retailer=retailer, pos_system=pos_system, pos_customer_id=pos_customer_id)
    if existing:
        raise AlreadyLinked(existing)
    fields = {name: details[name] for name in OWNER_FIELDS if name in details}
    owner = PetOwner.objects.create(retailer=retailer, **fields)
    record_audit(
        retailer=retailer,
        actor=None,
        action="owner.created",
        target=owner,
        data={"via": "api", "pos_system": pos_system, "pos_customer_id": pos_customer_id},
    )
    return _link(owner=owner, pos_system=pos_system, pos_customer_id=pos_customer_id)


@transaction.atomic
def link_existing_owner(*, owner: PetOwner, pos_system: str, pos_customer_id: str) -> PosLink:
    """ "Already In Astro", confirmed: link the POS customer to this owner. Linking the same pair
    again changes nothing; a POS customer linked to someone else must be unlinked first."""
    existing = find_link(
        retailer=owner.retailer, pos_system=pos_system, pos_customer_id=pos_customer_id
    )
    if existing and existing.owner_id == owner.pk:
        return existing
    if existing:
        raise AlreadyLinked(existing)
    if owner.merged_into_id:
        raise DomainError(
            f"Pet owner {owner.pk} was merged into pet owner {owner.merged_into_id}: "
            "link that one instead."
        )
    return _link(owner=owner, pos_system=pos_system, pos_customer_id=pos_customer_id)


def unlink(*, link: PosLink) -> None:
    unlink_pos_customer(link=link, actor=None)
