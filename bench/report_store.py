"""The busy store bench/admin_reports.py measures: a year of punches, redemptions, reports,
visits, pre-paid and cash back across manufacturer and custom programs, from one seeded RNG."""

import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

PUNCHES_PER_CARD = 12


@dataclass
class Store:
    """What the seeding steps share: the store, its people and places, and one seeded RNG."""

    retailer: Any
    locations: list
    cashiers: list
    program_cards: list
    items: dict  # program card pk -> its redeemable item
    owners: list
    rng: random.Random
    now: datetime

    def moment(self, days_back_max: int = 365) -> datetime:
        """A random time within the last `days_back_max` days."""
        return self.now - timedelta(seconds=self.rng.randrange(days_back_max * 86400))


def seed(purchase_count: int, redemption_count: int):
    """A store with three locations, four manufacturer and four custom programs, one year."""
    from django.utils import timezone

    rng = random.Random(7)  # noqa: S311 - the same store every run
    # The steps draw from the one RNG in this order: reordering them changes the data.
    store = seed_store(rng, timezone.now())
    cards = seed_cards(store, purchase_count, redemption_count)
    seed_punches(store, cards, purchase_count)
    redemptions = seed_redemptions(store, cards[:redemption_count])
    seed_distributor_reports(store.retailer, redemptions)
    visits = seed_visits(store)
    seed_prepaid(store, visits)
    seed_cash_back(store, visits)
    owner = store.owners[0]
    seed_points(store, owner, visits)
    return store.retailer, owner


def seed_store(rng: random.Random, now: datetime) -> Store:
    """The retailer, its locations and staff, the punch card programs and 2,000 pet owners."""
    from loyalty.models import PetOwner
    from loyalty.tests import factories

    retailer = factories.RetailerFactory(name="Bench Pet Supply")
    locations = [factories.LocationFactory(retailer=retailer) for _ in range(3)]
    factories.UserFactory(retailer=retailer, role="admin", username="bench-admin")
    cashiers = [factories.UserFactory(retailer=retailer, role="cashier") for _ in range(6)]
    program_cards = seed_program_cards(retailer)
    items = {card.pk: card.redeemable_items.get() for card in program_cards}
    owners = PetOwner.objects.bulk_create(
        PetOwner(retailer=retailer, first_name=f"Owner{n}", last_name="Bench") for n in range(2000)
    )
    return Store(retailer, locations, cashiers, program_cards, items, owners, rng, now)


def seed_program_cards(retailer) -> list:
    """Four manufacturer cards (enrolled through two distributors) and two of the store's own."""
    from loyalty.models import Program
    from loyalty.tests import factories

    distributors = [factories.DistributorFactory() for _ in range(2)]
    program_cards = []
    for n in range(4):
        card = factories.ProgramCardFactory(purchases_required=PUNCHES_PER_CARD)
        factories.EnrollmentFactory(
            retailer=retailer, program=card.program, distributor=distributors[n % 2]
        )
        program_cards.append(card)
    for name in ("Groom Club", "Nail Trim 10"):
        program = Program.objects.create(kind="buy_x_get_y", name=name, retailer=retailer)
        item = factories.ItemFactory(retailer=retailer, description=f"{name} visit")
        program_cards.append(
            factories.ProgramCardFactory(
                program=program, purchases_required=PUNCHES_PER_CARD, items=[item]
            )
        )
    return program_cards


def seed_cards(store: Store, purchase_count: int, redemption_count: int) -> list:
    """The redeemed cards (oldest first), then open cards for the punches left over."""
    from loyalty.models import Card

    rng = store.rng
    redeemed_at = sorted(store.moment() for _ in range(redemption_count))
    open_cards = max(0, (purchase_count - redemption_count * PUNCHES_PER_CARD) // 4)
    return Card.objects.bulk_create(
        [
            Card(
                retailer=store.retailer,
                owner=rng.choice(store.owners),
                program_card=rng.choice(store.program_cards),
                status="redeemed",
                completed_at=at,
                created_at=at - timedelta(days=60),
            )
            for at in redeemed_at
        ]
        + [
            # At most one open card per owner and program card (the model's constraint).
            Card(retailer=store.retailer, owner=owner, program_card=program_card)
            for owner, program_card in rng.sample(
                list(itertools.product(store.owners, store.program_cards)), open_cards
            )
        ],
        batch_size=5000,
    )


def seed_punches(store: Store, cards: list, purchase_count: int) -> None:
    """A full card of punches on each redeemed card and four on each open one, over 60 days."""
    from loyalty.models import Purchase

    rng = store.rng
    punches = []
    for card in cards:
        end = card.completed_at or store.now
        count = PUNCHES_PER_CARD if card.completed_at else 4
        for _ in range(count):
            punches.append(
                Purchase(
                    retailer=store.retailer,
                    card=card,
                    item=store.items[card.program_card_id],
                    unit_price=Decimal("49.99"),
                    location=rng.choice(store.locations),
                    cashier=rng.choice(store.cashiers),
                    purchased_at=end - timedelta(seconds=rng.randrange(60 * 86400)),
                )
            )
    punches = punches[:purchase_count]
    Purchase.objects.bulk_create(punches, batch_size=5000)


def seed_redemptions(store: Store, redeemed_cards: list) -> list:
    """One redemption of each redeemed card, when it was completed."""
    from loyalty.models import Redemption

    return Redemption.objects.bulk_create(
        [
            Redemption(
                retailer=store.retailer,
                card=card,
                item=store.items[card.program_card_id],
                location=store.rng.choice(store.locations),
                cashier=store.rng.choice(store.cashiers),
                redeemed_at=card.completed_at,
            )
            for card in redeemed_cards
        ],
        batch_size=5000,
    )


def seed_distributor_reports(retailer, redemptions: list) -> None:
    """A sent report to the distributor of each redemption of a manufacturer program."""
    from loyalty.models import DistributorReport

    enrollments = {e.program_id: e for e in retailer.enrollments.all()}
    DistributorReport.objects.bulk_create(
        [
            DistributorReport(
                retailer=retailer,
                distributor_id=enrollments[program_id].distributor_id,
                kind="redemption",
                redemption=redemption,
                state="sent",
            )
            for redemption in redemptions
            if (program_id := redemption.card.program_card.program_id) in enrollments
        ],
        batch_size=5000,
    )


def seed_visits(store: Store) -> list:
    """2,000 visits over the year, which the prepaid, cash back and points entries point at."""
    from loyalty.models import Visit

    return Visit.objects.bulk_create(
        Visit(
            retailer=store.retailer,
            location=store.rng.choice(store.locations),
            created_at=store.moment(),
        )
        for _ in range(2000)
    )


def seed_prepaid(store: Store, visits: list) -> None:
    """A prepaid wash program: 600 packages of six washes sold, five used a week apart."""
    from loyalty.models import PrepaidPackage, PrepaidPlan, PrepaidUse, Program

    rng = store.rng
    wash = Program.objects.create(kind="prepaid", name="Wash Pass", retailer=store.retailer)
    plan = PrepaidPlan.objects.create(
        program=wash, visits=5, bonus_visits=1, price=Decimal("60"), visit_description="A wash"
    )
    packages = PrepaidPackage.objects.bulk_create(
        PrepaidPackage(
            retailer=store.retailer,
            owner=rng.choice(store.owners),
            plan=plan,
            visits_total=6,
            sold_at=store.moment(),
        )
        for _ in range(600)
    )
    PrepaidUse.objects.bulk_create(
        PrepaidUse(
            retailer=store.retailer,
            package=package,
            visit=rng.choice(visits),
            used_at=package.sold_at + timedelta(days=7 * n),
        )
        for package in packages
        for n in range(5)
    )


def seed_cash_back(store: Store, visits: list) -> None:
    """A 5% cash back program with 5,000 earned and spent entries."""
    from loyalty.models import CashBackEntry, CashBackPlan, Program

    rng = store.rng
    back = Program.objects.create(kind="cash_back", name="Treat Money", retailer=store.retailer)
    cash_plan = CashBackPlan.objects.create(program=back, percent=Decimal("5"))
    CashBackEntry.objects.bulk_create(
        CashBackEntry(
            retailer=store.retailer,
            owner=rng.choice(store.owners),
            plan=cash_plan,
            amount=Decimal(rng.choice(["2.50", "1.25", "4.00", "-5.00"])),
            visit=rng.choice(visits),
            created_at=store.moment(),
        )
        for _ in range(5000)
    )


def seed_points(store: Store, owner, visits: list) -> None:
    """1,000 earned points entries on one owner, for the points ledger page."""
    from loyalty.models import PointsEntry

    rng = store.rng
    PointsEntry.objects.bulk_create(
        PointsEntry(
            retailer=store.retailer, owner=owner, kind="earned", points=rng.randrange(1, 80),
            created_at=store.moment(), visit=rng.choice(visits),
        )
        for _ in range(1000)
    )  # fmt: skip
