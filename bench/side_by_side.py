"""Benchmark: every request of the register side by side with a hello-world view, one run.

Sets up PostgreSQL data (DATABASE_URL; the demo with `seed_demo --owners 100000` and the stores
below), starts gunicorn (2 sync workers) with the project's WSGI app and the bench site's
hello-world view (bench/bench_site, mounted only there), drives each request with wrk from this
machine, and prints each row as a ratio to the hello-world view of the same run, with the
queries of one request (counted in-process) and the workers' memory before and after the row.
The growth rows show how a cost grows: a sale of 1/10/50/200 lines, a checkout with 1/10/50
cards, search over 1,000/10,000/100,000 owners, a backlog of 1,000/10,000 reports (these last
run bench/drain_reports.py, which needs REDIS_URL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/astro_bench \\
      REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/side_by_side.py
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_site.settings"

import load  # noqa: E402
import side_by_side_data as data  # noqa: E402
from side_by_side_rows import Row  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5, help="wrk's time per row")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--owners", type=int, default=100_000)
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (0: any free one)")
    parser.add_argument("--no-drain", action="store_true", help="skip the report backlog rows")
    parser.add_argument(
        "--table-only", action="store_true", help="the issue's table only: no growth, no drain"
    )
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to PostgreSQL: this measures the real set-up.")
    import django

    django.setup()
    load_before = os.getloadavg()
    print(f"load average at start: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    started = time.monotonic()
    data.demo_with_owners(args.owners)
    print(f"data ready in {time.monotonic() - started:.0f} s")
    from django.db import connection

    connection.close()
    logs = Path(os.environ.get("BENCH_LOGS", "/tmp"))  # noqa: S108 - a developer's scratch logs
    server = load.Server(
        args.port or load.free_port(), args.workers, logs / "side-by-side-gunicorn.log"
    )
    try:
        rows = run(args, server)
    finally:
        server.stop()
    if not (args.no_drain or args.table_only):
        rows += drain_rows(args.port + 1 if args.port else 0)
    print_table(rows, args)


def run(args, server: load.Server) -> list[Row]:
    import side_by_side_rows as bench_rows

    bench = bench_rows.Bench(args, server)
    steps = [
        bench.hello,
        lambda: bench.checkout(cards=5, lines=20, label="checkout screen GET, 20 lines, 5 cards"),
        bench.click,
        bench.loyalty,
        lambda: bench.sale(lines=10, label="POST /api/v1/sales/, 10 lines, 8 customers in turn"),
        lambda: bench.search(args.owners, label=f"owner search, {args.owners:,} owners"),
    ]
    # Memory from here on: every code path above has run once (imports, templates, caches).
    steps.append(lambda: mark_memory(bench))
    if args.table_only:
        steps += [lambda: bench.hello(label="hello-world view, again at the end")]
        steps.append(lambda: bench.memory_row(*bench.memory_mark))
        return _run(steps)
    steps += [grown(bench.sale, lines=n, label=f"  sale of {n} lines") for n in (1, 10, 50, 200)]
    steps += [
        grown(bench.checkout, cards=n, lines=n, label=f"  checkout with {n} cards")
        for n in (1, 10, 50)
    ]
    steps += [grown(bench.search, n, label=f"  search over {n:,} owners") for n in (1_000, 10_000)]
    steps.append(lambda: bench.hello(label="hello-world view, again at the end"))
    steps.append(lambda: bench.memory_row(*bench.memory_mark))
    return _run(steps)


def _run(steps) -> list[Row]:
    rows = []
    for step in steps:
        if (row := step()) is not None:
            rows.append(row)
            print(f"  done: {row.label.strip()}", flush=True)
    return rows


def mark_memory(bench) -> None:
    bench.memory_mark = (bench.server.worker_rss_mb(), bench.requests)


def grown(method, *args, **kwargs):
    return lambda: method(*args, **kwargs)


def drain_rows(port: int) -> list[Row]:
    if not os.environ.get("REDIS_URL"):
        return [Row("report backlog", note="skipped: set REDIS_URL")]
    result = []
    for reports in (1_000, 10_000):
        command = [sys.executable, str(BENCH / "drain_reports.py"), f"--reports={reports}"]
        command.append(f"--port={port}")
        # drain_reports.py runs its worker on the project's own settings, not the bench site's.
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        out = subprocess.run(  # noqa: S603 - our own script
            command, capture_output=True, text=True, check=False, timeout=900, env=env
        ).stdout
        took = re.search(r"time to drain: ([\d.]+) s", out)
        dups = re.search(r"duplicates refused (\d+)", out)
        rss = re.search(r"worker RSS: ([\d.]+) MB before, ([\d.]+) MB after", out)
        row = Row(f"one worker draining {reports:,} reports")
        if not took or not dups:
            row.note = (
                "did not finish: " + out.strip().splitlines()[-1] if out.strip() else "no output"
            )
            result.append(row)
            continue
        seconds, duplicates = float(took.group(1)), int(dups.group(1))
        row.note = f"{seconds:.1f} s ({reports / seconds:.0f} reports/s), {duplicates} duplicates"
        row.rss = (float(rss.group(1)), float(rss.group(2))) if rss else (0.0, 0.0)
        if reports == 10_000:
            row.target, row.met = "≤ 20 s, 0 duplicates", seconds <= 20 and duplicates == 0
        result.append(row)
    return result


def print_table(rows: list[Row], args) -> None:
    hello = rows[0].figures
    print()
    print(
        f"gunicorn {args.workers} sync workers, wrk {args.connections} connections x "
        f"{args.seconds:g} s per row; each row's % is of the hello-world view measured right "
        f"before it (first: {hello.rps:,.0f} req/s, p50 {hello.p50:.1f} ms); CPU ms is a "
        f"request's CPU, gunicorn's workers + PostgreSQL's processes, over the row's run, and "
        f"x hello its ratio to the hello-world view's right before"
    )
    head = f"{'request':<52} {'req/s':>7} {'% hello':>8} {'hello':>6}"
    head += f" {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    head += f" {'CPU ms':>11} {'x hello':>7}"
    print(head + f" {'queries':>7} {'RSS MB before→after':>20}  target")
    for row in rows:
        print(format_row(row, hello))
    now = os.getloadavg()
    print(f"load average at end: {now[0]:.2f} {now[1]:.2f} {now[2]:.2f}")
    missed = [row.label.strip() for row in rows if row.met is False]
    print("every target met" if not missed else "targets missed: " + "; ".join(missed))


def format_row(row: Row, first_hello: load.Figures) -> str:
    figures, hello = row.figures, row.hello or first_hello
    if figures:
        share = f"{100 * figures.rps / hello.rps:.1f} %"
        cells = f"{figures.rps:>7,.0f} {share:>8} {hello.rps:>6,.0f} {figures.p50:>7.1f}"
        cells += f" {figures.p95:>7.1f}"
        cells += f" {figures.p99:>7.1f}"
    else:
        cells = f"{'':>7} {'':>8} {'':>6} {'':>7} {'':>7} {'':>7}"
    cells += " " + cpu_cells(row)
    queries = "" if row.queries is None else str(row.queries)
    rss = f"{row.rss[0]:.0f}→{row.rss[1]:.0f}" if row.rss[0] else ""
    mark = {True: "met", False: "MISSED", None: ""}[row.met]
    target = f"{row.target} {mark}".strip()
    line = f"{row.label:<52} {cells} {queries:>7} {rss:>20}  {target}"
    notes = "; ".join(part for part in (row.ratio, row.note) if part)
    return line + (f"\n{'':<4}{notes}" if notes else "")


def cpu_cells(row: Row) -> str:
    """The workers' + PostgreSQL's CPU ms a request ("6.20+3.70") and its ratio to hello's."""
    if not row.cpu:
        return f"{'':>11} {'':>7}"
    total = sum(row.cpu)
    hello = sum(row.hello_cpu) if row.hello_cpu else 0
    ratio = f"{total / hello:.1f}" if hello else ""
    return f"{row.cpu[0]:>5.2f}+{row.cpu[1]:<5.2f} {ratio:>7}"


if __name__ == "__main__":
    main()
