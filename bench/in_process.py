"""Benchmark: the CPU time of one request of each register row, in-process, beside hello-world.

Each request goes through Django's test client and the project's whole middleware stack (the
bench site's settings, DEBUG off) against PostgreSQL (DATABASE_URL), so what is measured is
Astro's own Python and the database round trips, without gunicorn, HTTP or a load generator.
CPU time of this process (not wall-clock time) is the figure: on a machine other work shares it
moves much less than a rate from wrk; the Python function calls of a request (counted by
cProfile) do not move with the load at all. "pg CPU ms" is the CPU the request cost this
process's PostgreSQL backend (read from /proc, so only with PostgreSQL on this machine; "-"
otherwise): on a machine whose cores the web workers share with it, it counts as much as
Python's. `--profile NAME` prints cProfile's top functions of that
row instead (hello, checkout, checkout50, finish, loyalty, sale, sale50, click, search).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/astro_bench .venv/bin/python bench/in_process.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_site.settings"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200, help="requests per row")
    parser.add_argument("--profile", default="", help="print cProfile's top of this row")
    parser.add_argument("--owners", type=int, default=100_000, help="owners of the search row")
    parser.add_argument("--only", default="", help="these rows only (comma-separated names)")
    args = parser.parse_args()
    import django

    django.setup()
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    rows = requests(args.owners, args.runs)
    if args.profile:
        profile(rows[args.profile], args.runs)
        return
    hello = None
    head = f"{'request':<12} {'CPU ms':>8} {'x hello':>8} {'wall ms':>8} {'queries':>8}"
    print(head + f" {'Python calls':>13} {'x hello':>8} {'pg CPU ms':>10}")
    names = ["hello", *args.only.split(",")] if args.only else list(rows)
    for name in names:
        started = postgres_cpu()
        cpu, wall, queries = measure(rows[name], args.runs)
        ended = postgres_cpu()
        pg = (
            "-" if None in (started, ended) else f"{1000 * (ended - started) / (args.runs + 6):.2f}"
        )
        calls = python_calls(rows[name])
        hello = hello or (cpu, calls)
        line = f"{name:<12} {cpu:>8.2f} {cpu / hello[0]:>8.1f} {wall:>8.2f} {queries:>8}"
        print(line + f" {calls:>13,.0f} {calls / hello[1]:>8.1f} {pg:>10}", flush=True)


def requests(owners: int, runs: int = 200) -> dict:
    """Each row's one request, as a function of nothing, with its data set up (`runs` and a
    margin of calls for the rows whose every call needs new data)."""
    import side_by_side_data as data
    from django.test import Client
    from django.urls import reverse

    data.demo_with_owners(owners)
    retailer, location, cashier, cookies = data.cashier_store()
    browser = client(cookies)
    anonymous = Client()  # as wrk asks for it: no session
    rows = {"hello": lambda: anonymous.get("/bench/hello/")}
    for cards, lines, name in ((5, 20, "checkout"), (50, 50, "checkout50")):
        visit = data.checkout_visit(retailer, location, cashier, cards=cards, lines=lines)
        rows[name] = bind(browser, reverse("checkout", args=[visit.pk]))
        if cards == 5:
            rows["finish"] = bind(browser, reverse("finish", args=[visit.pk]))
    setup = data.api_store(cards=8, customers=8)
    api = Client(HTTP_AUTHORIZATION=f"Api-Key {setup['key']}")
    rows["loyalty"] = lambda: api.get("/api/v1/links/B-0/loyalty")
    for lines, name in ((10, "sale"), (50, "sale50")):
        rows[name] = poster(api, data.sale_bodies(setup, lines), f"{setup['run']}-{lines}")
    rows["click"] = clicker(data, sales=runs + 40)
    search_retailer, search_cookies = data.search_store(owners)
    finder = client(search_cookies)
    paths = iter(data.search_paths(owners, count=100_000))
    rows["search"] = lambda: finder.get(next(paths), HTTP_HX_REQUEST="true")
    data.analyze()
    return rows


def clicker(data, sales: int):
    """The button click of a 20-line sale and the checkout it redirects to, a new sale each
    call. Lightspeed's sandbox answers from a gunicorn of its own (one worker, stopped at
    exit), so its GET Sale is not this process's CPU, as it is not Astro's share of a click."""
    import atexit
    import tempfile

    import load
    from django.urls import reverse

    logs = Path(tempfile.mkdtemp(prefix="in-process-")) / "sandbox-gunicorn.log"
    sandbox = load.Server(load.free_port(), 1, logs)
    atexit.register(sandbox.stop)
    bench, seeded, cookies = data.lightspeed_store(sandbox.base, 20, sales)
    browser = client(cookies)
    button = reverse("lightspeed_button", args=[bench.location.button_token])
    pending = iter(seeded)

    def click():
        params = {"saleID": next(pending).pk, "customerID": bench.customer.pk}
        return browser.get(button, params, follow=True)

    return click


def client(cookies: dict):
    from django.test import Client

    browser = Client()
    for name, value in cookies.items():
        browser.cookies[name] = value
    return browser


def bind(browser, path: str):
    return lambda: browser.get(path)


def poster(api, bodies: list[tuple[str, str]], run: str):
    """A new sale each call (a repeated pos_sale_id would only replay the first answer)."""
    calls = iter(range(10**9))

    def post():
        n = next(calls)
        head, tail = bodies[n % len(bodies)]
        body = head + f"{run}-{os.getpid()}-{time.time_ns()}-{n}" + tail
        return api.post("/api/v1/sales/", body, content_type="application/json")

    return post


def measure(call, runs: int) -> tuple[float, float, int]:
    """Median CPU ms and wall ms of `runs` calls after warm-up, and the queries of one."""
    from django.db import connection

    for _ in range(5):
        check(call())
    executed = []
    with connection.execute_wrapper(lambda execute, *args: executed.append(1) or execute(*args)):
        check(call())
    cpu, wall = [], []
    for _ in range(runs):
        started_cpu, started = time.process_time(), time.perf_counter()
        check(call())
        cpu.append(1000 * (time.process_time() - started_cpu))
        wall.append(1000 * (time.perf_counter() - started))
    return statistics.median(cpu), statistics.median(wall), len(executed)


def postgres_cpu() -> float | None:
    """CPU seconds (user and system) of this process's PostgreSQL backend so far, or None when
    it is not on this machine or not PostgreSQL. Around `measure`: its `runs` requests, the
    five of its warm-up and the one whose queries it counts."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def python_calls(call, runs: int = 20) -> float:
    """Python function calls per request, counted by cProfile: unlike a time, the same on an
    idle machine and a loaded one, so it tells a change's effect apart from the load."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        check(call())
    profiler.disable()
    return pstats.Stats(profiler).total_calls / runs  # type: ignore[attr-defined]


def check(response) -> None:
    assert response.status_code < 300, (response.status_code, response.content[:300])


def profile(call, runs: int) -> None:
    import cProfile
    import pstats

    for _ in range(5):
        check(call())
    profiler = cProfile.Profile(time.process_time)  # CPU time: waits on the database drop out
    profiler.enable()
    for _ in range(runs):
        check(call())
    profiler.disable()
    by_file = bool(os.environ.get("BYFILE"))  # files need their whole paths to tell apart
    stats = pstats.Stats(profiler)
    if not by_file:
        stats = stats.strip_dirs()
    stats = stats.sort_stats(os.environ.get("SORT", "cumulative"))
    stats.print_stats(int(os.environ.get("TOP", "45")))
    if by_file:  # each file's own time (under the profiler), its functions' tottime summed
        spent_in: dict[str, float] = {}
        for (path, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            spent_in[path] = spent_in.get(path, 0.0) + tottime
        for path, spent in sorted(spent_in.items(), key=lambda item: -item[1])[:40]:
            print(f"{1000 * spent / runs:8.3f} ms  {path}")
    if callers := os.environ.get("CALLERS"):  # who calls the functions matching this pattern
        stats.print_callers(callers)


if __name__ == "__main__":
    main()
