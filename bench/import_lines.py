"""Benchmark: import sale lines onto cards and render the owner page; prints figures.

Runs in its own throw-away database (a temporary SQLite file, or DATABASE_URL's server with a
`_bench` suffix created and dropped by Django's test runner machinery).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astro_site.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--programs", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args, connection, CaptureQueriesContext)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args, connection, capture) -> None:
    from django.test import Client
    from django.urls import reverse

    from loyalty.services.sales import import_sale_line, start_visit
    from loyalty.tests import factories

    retailer = factories.RetailerFactory(name="Bench Pet Supply")
    owner = retailer.pet_owners.get(is_test=True)
    cards = [factories.enrolled_card(retailer, required=12) for _ in range(args.programs)]
    upcs = [card.qualifying_items.get().upc for card in cards]

    timings, queries = [], []
    for n in range(args.lines):
        visit = start_visit(
            retailer=retailer, owner=owner, pos_system="lightspeed", pos_sale_id=f"b{n}"
        )
        connection.queries_log.clear()  # the log is capped; start each capture empty
        with capture(connection) as captured:
            started = time.perf_counter()
            import_sale_line(visit=visit, pos_line_id="1", codes=[upcs[n % len(upcs)]], quantity=2)
            timings.append(time.perf_counter() - started)
        queries.append(len(captured))

    user = factories.UserFactory(retailer=retailer, role="cashier")
    client = Client()
    client.force_login(user)
    url = reverse("owner_detail", args=[owner.pk])
    client.get(url)  # warm the template cache
    connection.queries_log.clear()
    with capture(connection) as captured:
        started = time.perf_counter()
        client.get(url)
        page_ms = (time.perf_counter() - started) * 1000

    total = sum(timings)
    print(f"database: {connection.vendor}")
    print(f"lines imported: {args.lines} (quantity 2 each) over {args.programs} programs")
    print(f"lines/s: {args.lines / total:.0f}")
    print(
        f"ms per line: median {statistics.median(timings) * 1000:.2f}, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)] * 1000:.2f}"
    )
    print(f"queries per line: median {statistics.median(queries):.0f}, max {max(queries)}")
    print(f"owner page with {owner.cards.count()} cards: {len(captured)} queries, {page_ms:.0f} ms")


if __name__ == "__main__":
    main()
