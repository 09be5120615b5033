"""Benchmark: from the Astro Loyalty button click to the rendered checkout, over real HTTP.

A live server runs Astro and the Lightspeed sandbox in a throw-away database; each click opens
the button URL of a fresh 20-line sale (Astro fetches the sale from the sandbox, imports it and
redirects to the checkout screen). The sandbox's own time for the same GET Sale/{id}.json is
measured separately, so the figures show what is Astro's and what is the POS's.
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astro_site.settings.test")
# The live server thread shares the in-memory SQLite connection (as LiveServerTestCase does).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clicks", type=int, default=30)
    parser.add_argument("--lines", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, connections
    from django.test.testcases import LiveServerThread
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=shared, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        run(args, f"http://127.0.0.1:{server.port}", connection)
    finally:
        server.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()
        connection.creation.destroy_test_db(old_name, verbosity=0)


@dataclass
class Bench:
    """The store on the Astro side and the account, customer and URL on the sandbox side."""

    retailer: Any
    location: Any
    account: Any
    customer: Any
    sandbox: str  # the sandbox's API and auth base URL


def run(args, base: str, connection) -> None:
    bench = seed_connected_store(base)
    sales = seed_sales(bench, args.lines, args.clicks + 1)  # one more to warm up
    cookies = cashier_cookies(bench.retailer)
    click_ms, pos_ms = time_clicks(bench, base, cookies, sales)

    print(f"database: {connection.vendor}; {args.clicks} clicks of a {args.lines}-line sale")
    print(f"button click to rendered checkout: {figures(click_ms)}")
    print(f"  of which the sandbox's GET Sale/{{id}}.json alone: {figures(pos_ms)}")
    own = statistics.median(click_ms) - statistics.median(pos_ms)
    print(f"  Astro's own share (median): {own:.0f} ms")


def seed_connected_store(base: str) -> Bench:
    """A store with one location, connected to a sandbox account whose customer is linked."""
    from django.conf import settings

    from integrations.lightspeed.models import LightspeedConnection
    from loyalty.services.owners import link_pos_customer
    from loyalty.tests import factories
    from simulators.lightspeed.models import SandboxAccount, SandboxCustomer, SandboxToken

    retailer = factories.RetailerFactory(name="Bench Pet Supply")
    location = factories.LocationFactory(retailer=retailer)
    owner = retailer.pet_owners.get(is_test=True)
    account = SandboxAccount.objects.create(
        account_id="900001",
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
    link_pos_customer(
        owner=owner, pos_system="lightspeed", pos_customer_id=str(customer.pk), actor=None
    )
    return Bench(retailer, location, account, customer, sandbox)


def seed_sales(bench: Bench, lines: int, count: int) -> list:
    """`count` sandbox sales of the same `lines` items, one for each click."""
    from loyalty.tests import factories
    from simulators.lightspeed.models import SandboxItem, SandboxSale, SandboxSaleLine

    # Half the lines punch cards (enrolled programs), half are items of no program.
    items = []
    for n in range(lines):
        item = factories.ItemFactory()
        if n % 2 == 0:
            factories.enrolled_card(bench.retailer, required=1000, items=[item])
        items.append(
            SandboxItem.objects.create(
                account=bench.account,
                upc=item.gtin,
                description=item.description,
                price=item.list_price,
            )
        )
    sales = []
    for _ in range(count):
        sale = SandboxSale.objects.create(account=bench.account, customer=bench.customer)
        SandboxSaleLine.objects.bulk_create(
            SandboxSaleLine(sale=sale, item=item, unit_quantity=1, unit_price=item.price)
            for item in items
        )
        sales.append(sale)
    return sales


def cashier_cookies(retailer) -> dict:
    """The session cookie of a logged-in cashier, for the HTTP client that plays the browser."""
    from django.conf import settings
    from django.test import Client

    from loyalty.tests import factories

    cashier = factories.UserFactory(retailer=retailer, role="cashier")
    login = Client()
    login.force_login(cashier)
    return {settings.SESSION_COOKIE_NAME: login.cookies[settings.SESSION_COOKIE_NAME].value}


def time_clicks(bench: Bench, base: str, cookies: dict, sales: list) -> tuple[list, list]:
    """Milliseconds of each button click and of the sandbox's own fetch of the same sale."""
    import httpx
    from django.urls import reverse

    from integrations.lightspeed.client import SALE_RELATIONS

    button = reverse("lightspeed_button", args=[bench.location.button_token])
    account = bench.account
    with (
        httpx.Client(base_url=base, cookies=cookies, timeout=30) as browser,
        httpx.Client(
            timeout=30, headers={"Authorization": f"Bearer {account.script_token}"}
        ) as pos,
    ):
        click_ms, pos_ms = [], []
        for n, sale in enumerate(sales):
            started = time.perf_counter()
            page = browser.get(
                button,
                params={"saleID": sale.pk, "customerID": bench.customer.pk},
                follow_redirects=True,
            )
            elapsed = (time.perf_counter() - started) * 1000
            assert page.status_code == 200 and "Today's Purchases" in page.text, page.text[:500]
            started = time.perf_counter()
            answer = pos.get(
                f"{bench.sandbox}/API/V3/Account/{account.account_id}/Sale/{sale.pk}.json",
                params={"load_relations": SALE_RELATIONS},
            )
            fetch = (time.perf_counter() - started) * 1000
            assert answer.status_code == 200
            if n:  # the first click warms caches and templates
                click_ms.append(elapsed)
                pos_ms.append(fetch)
    return click_ms, pos_ms


def figures(values: list[float]) -> str:
    p95 = sorted(values)[int(len(values) * 0.95)]
    return f"median {statistics.median(values):.0f} ms, p95 {p95:.0f} ms"


if __name__ == "__main__":
    main()
