"""Planning the demo sales history as plain values: who bought what, when, where, from whom.

Nothing here touches the database; `history` replays the plan through the sale services.
"""

import random
from dataclasses import dataclass, field

from .people import OwnerProfile

HISTORY_DAYS = 180  # about six months of history
OPENING_MINUTES = 10 * 60  # sales between 9:00 and 19:00


@dataclass(frozen=True)
class StorePlan:
    """What a store's customers buy and who rings them up."""

    locations: list[str]  # the first is the busiest
    cashiers: list[str]  # the first rings up most sales
    dog_favourites: list[str]
    cat_favourites: list[str]
    extras: list[str]
    # (species, item, visits, quantity per visit, visit that redeems or 0), for the first owners
    scripted: list[tuple[str, str, int, int, int]] = field(default_factory=list)
    # Items on cards that require an email: owners without one do not buy them in the demo.
    needs_email: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PlannedVisit:
    owner: tuple[str, str]  # (first name, last name)
    days_ago: int
    minute: int  # minutes after opening
    location: str
    cashier: str
    lines: tuple[tuple[str, int], ...]  # (item key, quantity)
    reason: str = "stocking_up"  # the multi-purchase reason when a card gets several punches
    redeem: bool = False  # redeem the owner's complete card during this visit


def plan_history(
    rng: random.Random, profiles: list[OwnerProfile], store: StorePlan
) -> list[PlannedVisit]:
    """Every profile's visits, oldest first, so punches fill cards in the order they happened."""
    visits: list[PlannedVisit] = []
    for index, profile in enumerate(profiles):
        if index < len(store.scripted):
            visits += _scripted_visits(rng, profile, store, store.scripted[index])
        else:
            visits += _random_visits(rng, profile, store)
    return sorted(visits, key=lambda v: (-v.days_ago, v.minute))


def plan_fixed_visits(
    owner: tuple[str, str], store: StorePlan, rows: list[tuple[int, list[tuple[str, int]]]]
) -> list[PlannedVisit]:
    """Visits given exactly (Sally's): (days ago, [(item, quantity)])."""
    return [
        PlannedVisit(owner, days, 60 + n * 37, store.locations[0], store.cashiers[0], tuple(lines))
        for n, (days, lines) in enumerate(rows)
    ]


def _scripted_visits(
    rng: random.Random, profile: OwnerProfile, store: StorePlan, script: tuple
) -> list[PlannedVisit]:
    _species, item, count, quantity, redeem_at = script
    days = sorted(rng.sample(range(1, HISTORY_DAYS), count), reverse=True)
    return [
        _visit(rng, profile, store, day, ((item, quantity),), redeem=n == redeem_at)
        for n, day in enumerate(days, start=1)
    ]


def _random_visits(
    rng: random.Random, profile: OwnerProfile, store: StorePlan
) -> list[PlannedVisit]:
    species = {kind for _name, kind in profile.pets}
    pool = (store.dog_favourites if "Dog" in species else []) + (
        store.cat_favourites if "Cat" in species else []
    )
    if not profile.email:
        pool = [key for key in pool if key not in store.needs_email]
    # Loyal customers buy the same one or two products again and again.
    favourites = rng.sample(pool, min(len(pool), rng.choice([1, 1, 2]))) if pool else []
    days = sorted(rng.sample(range(1, HISTORY_DAYS), rng.randint(2, 8)), reverse=True)
    extras = [key for key in store.extras if profile.email or key not in store.needs_email]
    return [_visit(rng, profile, store, day, _basket(rng, favourites, extras)) for day in days]


def _basket(
    rng: random.Random, favourites: list[str], extras: list[str]
) -> tuple[tuple[str, int], ...]:
    lines = [(key, 2 if rng.random() < 0.15 else 1) for key in favourites if rng.random() < 0.8]
    if rng.random() < 0.35 or not lines:
        extra = rng.choice([key for key in extras if key not in favourites])
        lines.append((extra, rng.randint(6, 12) if extra == "weruva-can" else 1))
    return tuple(lines)


def _visit(
    rng: random.Random,
    profile: OwnerProfile,
    store: StorePlan,
    days_ago: int,
    lines: tuple[tuple[str, int], ...],
    redeem: bool = False,
) -> PlannedVisit:
    return PlannedVisit(
        owner=profile.key,
        days_ago=days_ago,
        minute=rng.randrange(OPENING_MINUTES),
        location=store.locations[0] if rng.random() < 0.65 else rng.choice(store.locations),
        cashier=store.cashiers[0] if rng.random() < 0.8 else rng.choice(store.cashiers),
        lines=lines,
        reason="multiple_pets" if len(profile.pets) > 1 else "stocking_up",
        redeem=redeem,
    )
