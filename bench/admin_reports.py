"""Benchmark: the retailer's Reports pages over a year of a busy store (SPEC §7, §8).

Needs PostgreSQL (DATABASE_URL). Creates a throw-away database with one retailer, 100,000
punches and 8,000 redemptions across manufacturer and custom programs, three locations and the
last year, then renders each report page as the store's admin (Django test Client) with the
default filters (last 30 days) and a full-year range, and times the CSV export of the year.
Prints milliseconds (median of `--runs`) and query counts; the target is under 1 s a page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/astro .venv/bin/python bench/admin_reports.py
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astro_site.settings.test")

from report_store import PUNCHES_PER_CARD, seed  # noqa: E402 - the seeding half of this bench


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--purchases", type=int, default=100_000)
    parser.add_argument("--redemptions", type=int, default=8_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to PostgreSQL: this measures the production database.")
    if args.redemptions * PUNCHES_PER_CARD > args.purchases:
        sys.exit(f"--purchases must be at least {PUNCHES_PER_CARD} per redemption.")

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args, connection)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args, connection) -> None:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    started = time.perf_counter()
    retailer, owner = seed(args.purchases, args.redemptions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}, seeded in {time.perf_counter() - started:.0f} s")
    print(f"purchases: {args.purchases}, redemptions: {args.redemptions}, over 365 days")

    client = Client()
    client.force_login(retailer.users.get(role="admin"))
    year = {"start": (timezone.localdate() - timedelta(days=364)).isoformat()}
    pages = [
        ("redemption history, last 30 days", reverse("report_redemptions"), {}),
        ("redemption history, full year", reverse("report_redemptions"), year),
        ("custom programs, last 30 days", reverse("report_participation"), {}),
        ("custom programs, full year", reverse("report_participation"), year),
        ("custom programs, full year, one location", reverse("report_participation"),
         year | {"location": retailer.locations.first().pk}),
        ("points ledger (1,000 entries)", reverse("points_ledger", args=[owner.pk]), {}),
    ]  # fmt: skip
    print(f"{'page':<44}{'median ms':>10}{'max ms':>9}{'queries':>9}")
    for name, url, query in pages:
        timings, queries = measure(client, connection, url, query, args.runs)
        print(f"{name:<44}{statistics.median(timings):>10.0f}{max(timings):>9.0f}{queries:>9}")

    for name, url, query in [
        ("redemptions CSV, full year", reverse("report_redemptions_csv"), year),
        ("participation CSV, full year", reverse("report_participation_csv"), year),
    ]:
        began = time.perf_counter()
        response = client.get(url, query)
        body = b"".join(response.streaming_content)
        took = (time.perf_counter() - began) * 1000
        rows = body.count(b"\n") - 1
        print(f"{name:<44}{took:>10.0f} ms, {rows} rows, {len(body) // 1024} KiB")


def measure(client, connection, url: str, query: dict, runs: int) -> tuple[list[float], int]:
    from django.test.utils import CaptureQueriesContext

    assert client.get(url, query).status_code == 200  # warm the templates
    timings = []
    for _ in range(runs):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url, query)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    return timings, len(captured)


if __name__ == "__main__":
    main()
