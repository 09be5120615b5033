"""Pet owners: the test owner every retailer has, creating and editing owners, and POS links."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from loyalty.errors import DomainError
from loyalty.models import Pet, PetOwner, PosLink, Retailer, User
from loyalty.models.owners import SALLY_FIRST_NAME, SALLY_LAST_NAME

from .audit import record_audit
from .messages.consent import set_consent

CONSENT_FIELDS = ("email_consent", "sms_consent")


def ensure_test_owner(retailer: Retailer) -> PetOwner:
    """SPEC §3: every retailer has Sally Pet Owner from the start; she is never reported."""
    owner = PetOwner.objects.filter(retailer=retailer, is_test=True).first()
    if owner:
        return owner
    try:
        with transaction.atomic():
            return PetOwner.objects.create(
                retailer=retailer,
                first_name=SALLY_FIRST_NAME,
                last_name=SALLY_LAST_NAME,
                email="sally@example.com",
                phone="(555) 010-0000",
                address_line="1 Test Lane",
                city="Springfield",
                state="IL",
                postal_code="62701",
                is_test=True,
            )
    except IntegrityError:  # created by a concurrent request; the constraint keeps one
        return PetOwner.objects.get(retailer=retailer, is_test=True)


def link_pos_customer(
    *, owner: PetOwner, pos_system: str, pos_customer_id: str, actor: User | None
) -> PosLink:
    """SPEC §3: one POS customer maps to exactly one owner; linking is recorded."""
    try:
        with transaction.atomic():
            link = PosLink.objects.create(
                retailer=owner.retailer,
                owner=owner,
                pos_system=pos_system,
                pos_customer_id=pos_customer_id,
            )
            record_audit(
                retailer=owner.retailer,
                actor=actor,
                action="pos_link.created",
                target=owner,
                data={"pos_system": pos_system, "pos_customer_id": pos_customer_id},
            )
            return link
    except IntegrityError as exc:
        raise DomainError(
            "That POS customer is already linked to an Astro pet owner. Unlink it first."
        ) from exc


def unlink_pos_customer(*, link: PosLink, actor: User | None) -> None:
    with transaction.atomic():
        record_audit(
            retailer=link.retailer,
            actor=actor,
            action="pos_link.removed",
            target=link.owner,
            data={"pos_system": link.pos_system, "pos_customer_id": link.pos_customer_id},
        )
        link.delete()


def create_owner(*, retailer: Retailer, form_data: dict, actor: User | None) -> PetOwner:
    """Save Pet Owner: a new owner of this retailer from cleaned form data."""
    owner = PetOwner(retailer=retailer, **form_data)
    # SPEC §8: marketing consent at sign-up covers email; texts need their own (owner form).
    if owner.marketing_consent and owner.email:
        set_consent(owner=owner, channel="email", given=True, source="new account")
    owner.save()
    record_audit(retailer=retailer, actor=actor, action="owner.created", target=owner, data={})
    return owner


def update_contact(*, owner: PetOwner, changes: dict, actor: User | None) -> PetOwner:
    """The contact data a reward needs, given at the counter; the change is audited."""
    for name, value in changes.items():
        setattr(owner, name, value)
    owner.save()
    record_audit(
        retailer=owner.retailer,
        actor=actor,
        action="owner.contact_updated",
        target=owner,
        data={"fields": sorted(changes)},
    )
    return owner


OWNER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address_line",
    "city",
    "state",
    "postal_code",
    "marketing_consent",
)


@dataclass(frozen=True)
class PetChange:
    """One row of the pets list: an existing pet (pk) or a new one (pk None); delete removes."""

    pk: int | None
    name: str
    species: str
    delete: bool = False


@transaction.atomic
def edit_owner(
    *,
    owner: PetOwner,
    changes: dict,
    pets: Sequence[PetChange],
    actor: User,
    consents: dict[str, bool] | None = None,
) -> PetOwner:
    """An admin's edit of the owner's details, message consents and pets, audited with before
    and after."""
    # Read the row afresh under the lock: a bound ModelForm already wrote on the instance.
    owner = PetOwner.objects.select_for_update().get(pk=owner.pk)
    before = _owner_snapshot(owner)
    for name in OWNER_FIELDS:
        setattr(owner, name, changes[name])
    for name, given in (consents or {}).items():  # {"email_consent": True, "sms_consent": ...}
        channel = name.removesuffix("_consent")
        set_consent(owner=owner, channel=channel, given=given, source=f"owner form ({actor})")
    owner.save()
    _apply_pet_changes(owner, pets)
    after = _owner_snapshot(owner)
    if after != before:
        record_audit(
            retailer=owner.retailer,
            actor=actor,
            action="owner.edited",
            target=owner,
            data={"before": before, "after": after},
        )
    return owner


def _apply_pet_changes(owner: PetOwner, pets: Sequence[PetChange]) -> None:
    existing = {pet.pk: pet for pet in Pet.objects.filter(owner=owner)}
    for change in pets:
        pet = existing.get(change.pk) if change.pk else None
        if change.pk and pet is None:
            continue  # not this owner's pet: a tampered form reaches nothing
        if change.delete:
            if pet:
                pet.delete()
        elif pet:
            if (pet.name, pet.species) != (change.name, change.species):
                pet.name, pet.species = change.name, change.species
                pet.save(update_fields=["name", "species"])
        elif change.name:
            Pet.objects.create(
                retailer_id=owner.retailer_id,
                owner=owner,
                name=change.name,
                species=change.species,
            )


def _owner_snapshot(owner: PetOwner) -> dict:
    data = {name: getattr(owner, name) for name in (*OWNER_FIELDS, *CONSENT_FIELDS)}
    data["pets"] = [
        f"{pet.name} ({pet.species})" if pet.species else pet.name
        for pet in Pet.objects.filter(owner=owner).order_by("pk")
    ]
    return data
