"""Demo pet owners: deterministic profiles from the name lists, and the quick benchmark owners."""

import random
from dataclasses import dataclass
from itertools import islice

from django.db import transaction

from loyalty.models import Pet, PetOwner, Retailer
from loyalty.models.owners import phone_digits

from .people_data import (
    AREA_CODES,
    CAT_NAMES,
    CITIES,
    DOG_NAMES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    STREETS,
)

BENCH_PREFIX = "Bench"
BENCH_LAST_NAME = "Owner"
BENCH_BATCH = 1000
FIRST_PET = ["Dog", "Dog", "Dog", "Cat", "Cat"]  # pet stores see more dog than cat owners


@dataclass(frozen=True)
class OwnerProfile:
    first_name: str
    last_name: str
    email: str
    phone: str
    address: tuple[str, str, str, str]  # line, city, state, postal code; all blank for none
    marketing_consent: bool
    pets: tuple[tuple[str, str], ...]  # (name, species)

    @property
    def key(self) -> tuple[str, str]:
        return (self.first_name, self.last_name)


def owner_profiles(rng: random.Random, count: int, species: list[str]) -> list[OwnerProfile]:
    """`count` owners with distinct names; `species` fixes the first pet of the first owners."""
    names = rng.sample([(f, last) for f in FIRST_NAMES for last in LAST_NAMES], count)
    profiles = []
    for index, (first, last) in enumerate(names):
        first_species = species[index] if index < len(species) else rng.choice(FIRST_PET)
        profiles.append(
            OwnerProfile(
                first_name=first,
                last_name=last,
                email=_email(rng, first, last),
                phone=_phone(rng, index),
                address=_address(rng),
                marketing_consent=rng.random() < 0.6,
                pets=_pets(rng, first_species),
            )
        )
    return profiles


def _email(rng: random.Random, first: str, last: str) -> str:
    domain = rng.choice(EMAIL_DOMAINS)
    forms = [
        f"{first}.{last}@{domain}".lower(),
        f"{first[0]}{last}@{domain}".lower(),
        f"{first}{rng.randint(70, 99)}@{domain}".lower(),
        # Mixed case as people type it; search matches it through email_normalized.
        f"{first}.{last}@{domain.capitalize()}",
        "",  # some owners give no email
    ]
    return rng.choice(forms)


def _phone(rng: random.Random, index: int) -> str:
    # 555-0100 to 555-0199 are the numbers set aside for fiction.
    area, line = rng.choice(AREA_CODES), f"01{index % 100:02d}"
    forms = [
        f"({area}) 555-{line}",
        f"{area}.555.{line}",
        f"{area}-555-{line}",
        f"+1 {area} 555 {line}",
        f"{area}555{line}",
        "",
    ]
    return rng.choice(forms)


def _address(rng: random.Random) -> tuple[str, str, str, str]:
    style = rng.choice(["pos", "typed", "none"])
    if style == "none":
        return ("", "", "", "")
    city, state, postal = rng.choice(CITIES)
    line = f"{rng.randint(10, 4999)} {rng.choice(STREETS)}"
    if style == "pos":
        # As a POS export has it: upper case and ZIP+4.
        return (line.upper(), city.upper(), state, f"{postal}-{rng.randint(1000, 9999)}")
    return (line, city, state, postal)


def _pets(rng: random.Random, first_species: str) -> tuple[tuple[str, str], ...]:
    species = [first_species] + [
        rng.choice(["Dog", "Cat", "Dog", "Cat", "Rabbit"]) for _ in range(rng.choice([0, 0, 1, 2]))
    ]
    pets: dict[str, str] = {}
    for kind in species:
        names = CAT_NAMES if kind == "Cat" else DOG_NAMES
        name = rng.choice([n for n in names if n not in pets])
        pets[name] = kind
    return tuple(pets.items())


def create_owners(retailer: Retailer, profiles: list[OwnerProfile]) -> dict[tuple, PetOwner]:
    """The profiles' owners by (first, last) name, created once (the name is the natural key)."""
    return {profile.key: _owner(retailer, profile) for profile in profiles}


def _owner(retailer: Retailer, profile: OwnerProfile) -> PetOwner:
    line, city, state, postal = profile.address
    owner, created = PetOwner.objects.get_or_create(
        retailer=retailer,
        first_name=profile.first_name,
        last_name=profile.last_name,
        defaults={
            "email": profile.email,
            "phone": profile.phone,
            "address_line": line,
            "city": city,
            "state": state,
            "postal_code": postal,
            "marketing_consent": profile.marketing_consent,
        },
    )
    if created:
        Pet.objects.bulk_create(
            Pet(retailer=retailer, owner=owner, name=name, species=species)
            for name, species in profile.pets
        )
    return owner


@transaction.atomic
def add_bench_owners(retailer: Retailer, total: int) -> int:
    """Make Bench1..Bench{total} exist; returns how many were missing and are now created."""
    existing = set(
        PetOwner.objects.filter(
            retailer=retailer, last_name=BENCH_LAST_NAME, first_name__startswith=BENCH_PREFIX
        ).values_list("first_name", flat=True)
    )
    missing = (i for i in range(1, total + 1) if f"{BENCH_PREFIX}{i}" not in existing)
    created = 0
    while batch := list(islice(missing, BENCH_BATCH)):
        PetOwner.objects.bulk_create([_bench_owner(retailer, i) for i in batch])
        created += len(batch)
    return created


def _bench_owner(retailer: Retailer, i: int) -> PetOwner:
    email = f"bench{i}@example.com"
    phone = f"(555) {300 + i // 10000 % 700:03d}-{i % 10000:04d}"
    # bulk_create skips save(), which fills the search fields: set them here.
    return PetOwner(
        retailer=retailer,
        first_name=f"{BENCH_PREFIX}{i}",
        last_name=BENCH_LAST_NAME,
        email=email,
        email_normalized=email.lower(),
        phone=phone,
        phone_digits=phone_digits(phone),
    )
