"""Benchmark: the POS REST API under gunicorn, next to a hello-world view on the same server.

Sets up a store on the REST integration in the database DATABASE_URL names (PostgreSQL for
figures that mean something), starts gunicorn, and for each of three requests sends
--requests requests from --clients threads, printing p50/p99 latency and requests per second:

  ping      GET /api/v1/ping/ (no key, no database: the server's own floor)
  loyalty   GET /api/v1/links/{id}/loyalty (a customer with --cards cards)
  sale      POST /api/v1/sales/ (a new 10-line sale each time: punches, points, idempotency)

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/astro_bench .venv/bin/python bench/api_v1.py
"""

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astro_site.settings.base")


def main() -> None:
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument("--cards", type=int, default=8)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("Note: not PostgreSQL; set DATABASE_URL for figures that mean something.")
    call_command("migrate", verbosity=0)
    setup = prepare(args.cards, args.clients)
    connection.close()
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        run(args, f"http://127.0.0.1:{port}", setup)
    finally:
        server.terminate()
        server.wait(timeout=10)


def prepare(cards: int, customers: int) -> dict:
    from integrations.api_v1.credentials import issue_key
    from loyalty.services.cards import add_purchases
    from loyalty.services.owners import link_pos_customer
    from loyalty.tests import factories

    run_id = secrets.token_hex(3)
    # The factories' names and UPCs come from sequences: start them where no run has been, so
    # the benchmark can run again on the same database.
    offset = secrets.randbelow(900_000) * 1000
    for model_factory in (
        factories.ManufacturerFactory,
        factories.BrandFactory,
        factories.ItemFactory,
        factories.ProgramFactory,
        factories.ProgramCardFactory,
        factories.DistributorFactory,
        factories.EnrollmentFactory,
        factories.LocationFactory,
        factories.PetOwnerFactory,
    ):
        model_factory.reset_sequence(offset)
    retailer = factories.RetailerFactory(name=f"API Bench {run_id}", pos_integration="pinogy")
    location = factories.LocationFactory(retailer=retailer)
    # One customer per client: registers serve different customers, and one customer's
    # sales queue on the owner lock by design.
    owners = factories.PetOwnerFactory.create_batch(customers, retailer=retailer)
    for n, owner in enumerate(owners):
        link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id=f"B-{n}", actor=None)
    items = []
    for n in range(cards):
        card = factories.enrolled_card(retailer, required=1000)
        item = card.qualifying_items.get()
        for owner in owners:
            add_purchases(owner=owner, program_card=card, quantity=3, item=item)
        items.append(item if n % 2 == 0 else factories.ItemFactory())  # half punch nothing
    key = issue_key(location=location, actor=None).key
    return {"key": key, "items": items, "run": run_id, "customers": customers}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "false", "API_KEY_RATE": "100000000/min", "LOG_LEVEL": "ERROR"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "astro_site.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def sale_body(setup: dict, n: int) -> dict:
    from django.utils import timezone

    lines = [
        {"line_id": str(i), "upc": setup["items"][i % len(setup["items"])].upc, "quantity": 1,
         "unit_price": "19.99"}
        for i in range(10)
    ]  # fmt: skip
    return {
        "pos_sale_id": f"{setup['run']}-{n}",
        "pos_customer_id": f"B-{n % setup['customers']}",
        "completed_at": timezone.now().isoformat(),
        "subtotal": "199.90",
        "total": "215.89",
        "lines": lines,
    }


def measure(label: str, args, send) -> None:
    import httpx

    latencies: list[float] = []

    def one(n: int, client: httpx.Client) -> None:
        started = time.perf_counter()
        response = send(client, n)
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 300, response.text[:300]

    clients = [httpx.Client(timeout=30) for _ in range(args.clients)]
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(lambda n: one(n, clients[n % args.clients]), range(args.clients)))  # warm
        latencies.clear()
        started = time.perf_counter()
        offset = args.clients
        list(pool.map(lambda n: one(n + offset, clients[n % args.clients]), range(args.requests)))
        elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{label:<9} p50 {cuts[49]:7.1f} ms   p99 {cuts[98]:7.1f} ms   "
        f"{args.requests / elapsed:8.1f} requests/s"
    )


def run(args, base: str, setup: dict) -> None:
    auth = {"Authorization": f"Api-Key {setup['key']}"}
    print(
        f"{args.requests} requests from {args.clients} clients, gunicorn with {args.workers} "
        f"workers, customers with {args.cards} cards each, 10-line sales"
    )
    measure("ping", args, lambda client, n: client.get(f"{base}/api/v1/ping/"))
    measure(
        "loyalty",
        args,
        lambda client, n: client.get(
            f"{base}/api/v1/links/B-{n % setup['customers']}/loyalty", headers=auth
        ),
    )
    measure(
        "sale",
        args,
        lambda client, n: client.post(
            f"{base}/api/v1/sales/", json=sale_body(setup, n), headers=auth
        ),
    )


if __name__ == "__main__":
    main()
