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
from pathlib import Path

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


def run(args, base: str, connection) -> None:
    import httpx
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from integrations.lightspeed.client import SALE_RELATIONS
    from integrations.lightspeed.models import LightspeedConnection
    from loyalty.services.owners import link_pos_customer
    from loyalty.tests import factories
    from simulators.lightspeed.models import (
        SandboxAccount,
        SandboxCustomer,
        SandboxItem,
        SandboxSale,
        SandboxSaleLine,
        SandboxToken,
    )

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

    # Half the lines punch cards (enrolled programs), half are items of no program.
    items = []
    for n in range(args.lines):
        item = factories.ItemFactory()
        if n % 2 == 0:
            factories.enrolled_card(retailer, required=1000, items=[item])
        items.append(
            SandboxItem.objects.create(
                account=account, upc=item.gtin, description=item.description, price=item.list_price
            )
        )
    sales = []
    for _ in range(args.clicks + 1):
        sale = SandboxSale.objects.create(account=account, customer=customer)
        SandboxSaleLine.objects.bulk_create(
            SandboxSaleLine(sale=sale, item=item, unit_quantity=1, unit_price=item.price)
            for item in items
        )
        sales.append(sale)

    cashier = factories.UserFactory(retailer=retailer, role="cashier")
    login = Client()
    login.force_login(cashier)
    cookies = {settings.SESSION_COOKIE_NAME: login.cookies[settings.SESSION_COOKIE_NAME].value}
    button = reverse("lightspeed_button", args=[location.button_token])

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
                button, params={"saleID": sale.pk, "customerID": customer.pk}, follow_redirects=True
            )
            elapsed = (time.perf_counter() - started) * 1000
            assert page.status_code == 200 and "Today's Purchases" in page.text, page.text[:500]
            started = time.perf_counter()
            answer = pos.get(
                f"{sandbox}/API/V3/Account/{account.account_id}/Sale/{sale.pk}.json",
                params={"load_relations": SALE_RELATIONS},
            )
            fetch = (time.perf_counter() - started) * 1000
            assert answer.status_code == 200
            if n:  # the first click warms caches and templates
                click_ms.append(elapsed)
                pos_ms.append(fetch)

    def figures(values: list[float]) -> str:
        p95 = sorted(values)[int(len(values) * 0.95)]
        return f"median {statistics.median(values):.0f} ms, p95 {p95:.0f} ms"

    print(f"database: {connection.vendor}; {args.clicks} clicks of a {args.lines}-line sale")
    print(f"button click to rendered checkout: {figures(click_ms)}")
    print(f"  of which the sandbox's GET Sale/{{id}}.json alone: {figures(pos_ms)}")
    own = statistics.median(click_ms) - statistics.median(pos_ms)
    print(f"  Astro's own share (median): {own:.0f} ms")


if __name__ == "__main__":
    main()
