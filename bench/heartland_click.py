"""Benchmark: from Heartland's Astro Loyalty button to the rendered checkout, over real HTTP.

A live server runs Astro and the Heartland sandbox in a throw-away database; each click opens
the button URL of a fresh 20-line ticket (Astro reads the ticket and its lines from the sandbox,
imports them and redirects to the checkout screen). The sandbox's own time for the same two
GETs is measured separately, so the figures show what is Astro's and what is the POS's.
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
    """The store on the Astro side and the account and customer on the sandbox side."""

    retailer: Any
    location: Any
    account: Any
    customer: Any
    api: str  # the sandbox's API base URL


def run(args, base: str, connection) -> None:
    bench = seed_connected_store(base)
    tickets = seed_tickets(bench, args.lines, args.clicks + 1)  # one more to warm up
    cookies = cashier_cookies(bench.retailer)
    click_ms, pos_ms = time_clicks(bench, base, cookies, tickets)

    print(f"database: {connection.vendor}; {args.clicks} clicks of a {args.lines}-line ticket")
    print(f"button click to rendered checkout: {figures(click_ms)}")
    print(f"  of which the sandbox's GET ticket + GET lines alone: {figures(pos_ms)}")
    own = statistics.median(click_ms) - statistics.median(pos_ms)
    print(f"  Astro's own share (median): {own:.0f} ms")


def seed_connected_store(base: str) -> Bench:
    """A store with one location, connected to a sandbox account whose customer is linked."""
    from integrations.heartland.models import HeartlandConnection
    from loyalty.services.owners import link_pos_customer
    from loyalty.tests import factories
    from simulators.heartland.tests.factories import API_PREFIX, make_account, make_customer

    retailer = factories.RetailerFactory(name="Bench Pet Supply", pos_integration="heartland")
    location = factories.LocationFactory(retailer=retailer)
    owner = retailer.pet_owners.get(is_test=True)
    account = make_account("benchpets", rate_limit=10**9)  # measure speed, not the budget
    api = f"{base}{API_PREFIX}"
    HeartlandConnection.objects.create(
        retailer=retailer, subdomain=account.subdomain, api_base=api, token=account.api_token
    )
    customer = make_customer(account, first="Sally", last="Pet")
    link_pos_customer(
        owner=owner, pos_system="heartland", pos_customer_id=str(customer.pk), actor=None
    )
    return Bench(retailer, location, account, customer, api)


def seed_tickets(bench: Bench, lines: int, count: int) -> list:
    """`count` sandbox tickets of the same `lines` items, one for each click."""
    from loyalty.tests import factories
    from simulators.heartland.models import SandboxItem, SandboxTicketLine
    from simulators.heartland.tests.factories import make_ticket

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
                public_id=f"ITEM-{n}",
                description=item.description,
                price=item.list_price,
            )
        )
    tickets = []
    for _ in range(count):
        ticket = make_ticket(bench.account, customer=bench.customer)
        SandboxTicketLine.objects.bulk_create(
            SandboxTicketLine(
                ticket=ticket,
                item=item,
                qty=1,
                unit_price=item.price,
                original_unit_price=item.price,
            )
            for item in items
        )
        tickets.append(ticket)
    return tickets


def cashier_cookies(retailer) -> dict:
    """The session cookie of a logged-in cashier, for the HTTP client that plays the browser."""
    from django.conf import settings
    from django.test import Client

    from loyalty.tests import factories

    cashier = factories.UserFactory(retailer=retailer, role="cashier")
    login = Client()
    login.force_login(cashier)
    return {settings.SESSION_COOKIE_NAME: login.cookies[settings.SESSION_COOKIE_NAME].value}


def time_clicks(bench: Bench, base: str, cookies: dict, tickets: list) -> tuple[list, list]:
    """Milliseconds of each button click and of the sandbox's own reads of the same ticket."""
    import httpx
    from django.urls import reverse

    button = reverse("heartland_button", args=[bench.location.button_token])
    headers = {"Authorization": f"Bearer {bench.account.api_token}"}
    with (
        httpx.Client(base_url=base, cookies=cookies, timeout=30) as browser,
        httpx.Client(timeout=30, headers=headers) as pos,
    ):
        click_ms, pos_ms = [], []
        for n, ticket in enumerate(tickets):
            started = time.perf_counter()
            page = browser.get(button, params={"ticket_id": ticket.pk}, follow_redirects=True)
            elapsed = (time.perf_counter() - started) * 1000
            assert page.status_code == 200 and "Today's Purchases" in page.text, page.text[:500]
            started = time.perf_counter()
            found = pos.get(
                f"{bench.api}/sales/tickets/{ticket.pk}", params={"_include[]": "customer"}
            )
            lines = pos.get(
                f"{bench.api}/sales/tickets/{ticket.pk}/lines",
                params={"_include[]": "item", "page": 1, "per_page": 100},
            )
            fetch = (time.perf_counter() - started) * 1000
            assert found.status_code == 200 and lines.status_code == 200
            if n:  # the first click warms caches and templates
                click_ms.append(elapsed)
                pos_ms.append(fetch)
    return click_ms, pos_ms


def figures(values: list[float]) -> str:
    p95 = sorted(values)[int(len(values) * 0.95)]
    return f"median {statistics.median(values):.0f} ms, p95 {p95:.0f} ms"


if __name__ == "__main__":
    main()
