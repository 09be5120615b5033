"""The data bench/side_by_side.py measures: the demo with 100,000 owners, a REST API store, a
cashier's checkouts of 1 to 50 cards, a Lightspeed sandbox account, stores of 1,000 and 10,000
owners. Every name carries a run id, so the bench runs again on the same database."""

from __future__ import annotations

import json
import secrets
from decimal import Decimal


def demo_with_owners(owners: int) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", owners=owners, stdout=StringIO())  # adds only what is missing
    analyze()
    fresh_sequences()


def analyze() -> None:
    """Fresh planner statistics after a row's bulk set-up, as autovacuum would give them a minute
    later (and it may be off on a development machine: then never). With none, PostgreSQL takes
    a store of 100,000 owners for one of 30 and reads all of them instead of the trigram indexes
    (600 ms a search instead of a few), and reads every punch to find a checkout's 20 (4 ms of
    the screen's 15). Half a second for the whole database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def fresh_sequences() -> None:
    """The factories' names and codes come from sequences that restart in each process: start
    them where no run has been, so this run's users, items and stores are new."""
    import factory

    from loyalty.tests import factories

    offset = secrets.randbelow(900_000) * 1000
    for value in vars(factories).values():
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
            value.reset_sequence(offset)


def api_store(cards: int, customers: int) -> dict:
    """A REST store whose customers hold `cards` cards each (bench/api_v1.py's set-up)."""
    import api_v1

    return api_v1.prepare(cards, customers)


def sale_bodies(setup: dict, lines: int) -> list[tuple[str, str]]:
    """A `lines`-line sale for each customer in turn, split where its pos_sale_id goes."""
    from django.utils import timezone

    items = setup["items"]
    bodies = []
    for n in range(setup["customers"]):
        body = {
            "pos_sale_id": "@ID@",
            "pos_customer_id": f"B-{n}",
            "completed_at": timezone.now().isoformat(),
            "subtotal": f"{Decimal('19.99') * lines:.2f}",
            "total": f"{Decimal('21.59') * lines:.2f}",
            "lines": [
                {"line_id": str(i), "upc": items[i % len(items)].upc, "quantity": 1,
                 "unit_price": "19.99"}
                for i in range(lines)
            ],
        }  # fmt: skip
        head, tail = json.dumps(body).split("@ID@")
        bodies.append((head, tail))
    return bodies


def cashier_store():
    """A store, its location and cashier, with the cashier's session cookie."""
    import checkout_click

    from loyalty.tests import factories

    retailer = factories.RetailerFactory(name=f"Checkout Bench {secrets.token_hex(3)}")
    location = factories.LocationFactory(retailer=retailer)
    cashier = factories.UserFactory(retailer=retailer, role="cashier")
    return retailer, location, cashier, checkout_click.cashier_cookies(retailer)


def checkout_visit(retailer, location, cashier, *, cards: int, lines: int):
    """An open visit whose `lines` lines punch `cards` cards (of 1,000 punches each) in turn."""
    from loyalty.services.sales import SaleLine
    from loyalty.tests import factories
    from loyalty.tests.pos_sales import press_pos_button

    owner = factories.PetOwnerFactory(retailer=retailer)
    items = []
    for _ in range(cards):
        item = factories.ItemFactory()
        factories.enrolled_card(retailer, required=1000, items=[item])
        items.append(item)
    sale = [
        SaleLine(str(n), [items[n % cards].gtin], 1, Decimal("5"), items[n % cards].description)
        for n in range(lines)
    ]
    return press_pos_button(
        owner=owner,
        location=location,
        cashier=cashier,
        sale_id=secrets.token_hex(4),
        pos_customer_id=secrets.token_hex(4),
        subtotal=Decimal(5 * lines),
        total=Decimal(5 * lines),
        return_url="",
        lines=sale,
    )


def lightspeed_store(base: str, lines: int, clicks: int):
    """bench/checkout_click.py's store connected to a sandbox account, with a linked customer
    and `clicks` sales of `lines` lines, under this run's own names."""
    import checkout_click
    from django.conf import settings

    from integrations.lightspeed.models import LightspeedConnection
    from loyalty.services.owners import link_pos_customer
    from loyalty.tests import factories
    from simulators.lightspeed.models import SandboxAccount, SandboxCustomer, SandboxToken

    retailer = factories.RetailerFactory(name=f"Click Bench {secrets.token_hex(3)}")
    location = factories.LocationFactory(retailer=retailer)
    account = SandboxAccount.objects.create(
        account_id=str(secrets.randbelow(10**9)),
        client_id=settings.LIGHTSPEED_CLIENT_ID,
        client_secret=settings.LIGHTSPEED_CLIENT_SECRET,
        bucket_capacity=1e9,  # measure speed, not the rate limit
    )
    token = SandboxToken.issue(account)
    sandbox = f"{base}/sandbox/lightspeed"
    LightspeedConnection.objects.create(
        retailer=retailer,
        account_id=account.account_id,
        api_base=sandbox,
        auth_base=sandbox,
        access_token=token.access_token,
        refresh_token=token.refresh_token,
    )
    customer = SandboxCustomer.objects.create(account=account, first_name="Sally", last_name="Pet")
    owner = retailer.pet_owners.get(is_test=True)
    link_pos_customer(
        owner=owner, pos_system="lightspeed", pos_customer_id=str(customer.pk), actor=None
    )
    bench = checkout_click.Bench(retailer, location, account, customer, sandbox)
    sales = checkout_click.seed_sales(bench, lines, clicks + 1)
    return bench, sales, checkout_click.cashier_cookies(retailer)


def search_store(owners: int):
    """A store with Bench1..Bench{owners}; the demo store is the one with 100,000."""
    from demo.people import BENCH_PREFIX, add_bench_owners
    from loyalty.models import PetOwner, Retailer
    from loyalty.tests import factories

    if owners >= 100_000:
        retailer = Retailer.objects.get(pet_owners__first_name=f"{BENCH_PREFIX}{owners}")
    else:
        retailer = factories.RetailerFactory(name=f"Search Bench {secrets.token_hex(3)}")
        add_bench_owners(retailer, owners)
        analyze()
    assert PetOwner.objects.filter(retailer=retailer).count() >= owners
    import checkout_click

    return retailer, checkout_click.cashier_cookies(retailer)


def search_paths(owners: int, count: int = 60) -> list[str]:
    """What cashiers type: a name, an email's start, phone digits, of owners that exist."""
    from urllib.parse import quote

    paths = []
    for n in range(count):
        i = 1 + secrets.randbelow(owners)
        phone = f"555{300 + i // 10000 % 700:03d}{i % 10000:04d}"
        text = [f"Bench{i}", f"bench{i}@", phone, "Sally"][n % 4]
        paths.append(f"/owners/?q={quote(text)}")
    return paths
