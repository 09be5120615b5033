"""The order the demo is loaded in: accounts, catalog, programs, each store's history, bench."""

import random

from django.db import transaction

from loyalty.models import Location, Retailer, User
from loyalty.services.owners import ensure_test_owner

from .accounts import load_accounts
from .catalog import (
    load_catalog,
    load_custom_programs,
    load_enrollments,
    load_point_rewards,
    sale_codes,
)
from .credits import load_credit_answers
from .history import Shop, has_history, replay
from .messages import load_messages
from .paper_cards import load_paper_sample
from .people import add_bench_owners, create_owners, owner_profiles
from .people_data import (
    CAT_FAVOURITES,
    DEMO_RETAILER,
    DOG_FAVOURITES,
    EXTRAS,
    LOGINS,
    OTHER_DOG_FAVOURITES,
    OTHER_RETAILER,
    OWNER_COUNTS,
    SALLY_VISITS,
    SCRIPTED_OWNERS,
    SEED,
)
from .plans import PlannedVisit, StorePlan, plan_fixed_visits, plan_history
from .programs_data import FROMM_ITEMS

STORE_PLANS = {
    DEMO_RETAILER: StorePlan(
        locations=["Main Street", "Riverside"],
        cashiers=["demo-cashier", "demo-admin"],
        dog_favourites=DOG_FAVOURITES,
        cat_favourites=CAT_FAVOURITES,
        extras=EXTRAS,
        scripted=SCRIPTED_OWNERS,
        needs_email=frozenset(FROMM_ITEMS),
    ),
    OTHER_RETAILER: StorePlan(
        locations=["Downtown"],
        cashiers=["other-admin"],
        dog_favourites=OTHER_DOG_FAVOURITES,
        cat_favourites=["weruva-paw-lickin"],
        extras=EXTRAS,
    ),
}


def seed(bench_owners: int = 0) -> int:
    """Load everything that is missing; returns how many benchmark owners were added."""
    retailers = load_accounts()
    load_catalog()
    load_enrollments(retailers)
    load_custom_programs(retailers[DEMO_RETAILER])
    load_point_rewards(retailers[DEMO_RETAILER])
    for name, store in STORE_PLANS.items():
        load_history(retailers[name], store)
        load_messages(retailers[name], test_messages=name == DEMO_RETAILER)
    load_credit_answers(retailers[DEMO_RETAILER], cashier="demo-admin", location="Main Street")
    demo_admin = User.objects.filter(username="demo-admin").first()
    if demo_admin:
        load_paper_sample(retailers[DEMO_RETAILER], demo_admin)
    if bench_owners:
        return add_bench_owners(retailers[DEMO_RETAILER], bench_owners)
    return 0


@transaction.atomic
def load_history(retailer: Retailer, store: StorePlan) -> int:
    """The store's pet owners and their sales, once: skipped when the store has any sales."""
    if has_history(retailer):
        return 0
    # A seed per store: adding a store or owner elsewhere leaves this store's history unchanged.
    rng = random.Random(f"{SEED}-{retailer.name}")  # noqa: S311  (demo data, not security)
    species = [script[0] for script in store.scripted]
    profiles = owner_profiles(rng, OWNER_COUNTS[retailer.name], species)
    owners = create_owners(retailer, profiles)
    sally = ensure_test_owner(retailer)
    owners[(sally.first_name, sally.last_name)] = sally
    plans = plan_history(rng, profiles, store)
    if retailer.name == DEMO_RETAILER:
        plans = _with_sally(plans, (sally.first_name, sally.last_name), store)
    shop = Shop(
        retailer=retailer,
        owners=owners,
        locations={loc.name: loc for loc in Location.objects.filter(retailer=retailer)},
        cashiers={u.username: u for u in User.objects.filter(username__in=_usernames())},
        codes=sale_codes(),
    )
    return replay(shop, plans)


def _with_sally(
    plans: list[PlannedVisit], sally: tuple[str, str], store: StorePlan
) -> list[PlannedVisit]:
    return sorted(
        plans + plan_fixed_visits(sally, store, SALLY_VISITS),
        key=lambda v: (-v.days_ago, v.minute),
    )


def _usernames() -> list[str]:
    return [username for username, _password, _retailer, _role in LOGINS.values()]
