"""The rows of bench/side_by_side.py: each sets up its data, counts one request's queries
in-process, then drives the request with wrk against gunicorn (or, for the button click, a
sequence of clicks, each a new sale) and notes the workers' memory before and after."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import load
import side_by_side_data as data


@dataclass
class Row:
    """One line of the table: figures from wrk, or a note, and the target it is held to."""

    label: str
    figures: load.Figures | None = None
    queries: int | None = None
    rss: tuple[float, float] = (0.0, 0.0)
    note: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None
    hello: load.Figures | None = None  # the hello-world view measured right before
    # CPU ms a request, (gunicorn's workers, PostgreSQL's processes), over the row's run and
    # over the hello-world view's right before: unlike a rate, hardly moved by the machine's
    # other work, and it says whose time a request is.
    cpu: tuple[float, float] | None = None
    hello_cpu: tuple[float, float] | None = None


class Bench:
    def __init__(self, args, server: load.Server) -> None:
        self.args, self.server = args, server
        self.hello_figures: load.Figures | None = None
        self.hello_cpu: tuple[float, float] | None = None
        self.row_cpu: tuple[float, float] | None = None
        self.requests = 0  # served so far, for the memory row
        self.api = None
        self.cashier = None

    def _drive(self, path: str, *, headers=(), lua: str = "") -> tuple[load.Figures, tuple]:
        data.analyze()  # the row's data is set up: the planner sees it, as in production
        # A second's warm-up first (templates, connections, caches), not counted.
        load.wrk(self.server.base + path, seconds=1, connections=self.args.connections,
                 headers=headers, lua=lua)  # fmt: skip
        # The hello-world view right before, so the row's ratio is to the floor of this moment:
        # on a shared machine the load moves within one run.
        self.hello_figures = self._wrk("/bench/hello/")
        before = self.server.worker_rss_mb()
        figures, self.row_cpu = self._wrk_cpu(path, headers=headers, lua=lua)
        after = self.server.worker_rss_mb()
        self.requests += figures.requests
        if figures.errors:
            print(f"  {path}: {figures.errors} errors or non-2xx answers of {figures.requests}")
        return figures, (max(before, default=0), max(after, default=0))

    def _wrk(self, path: str) -> load.Figures:
        """The hello-world view's figures, and its CPU a request (for the next row)."""
        figures, self.hello_cpu = self._wrk_cpu(path)
        return figures

    def _wrk_cpu(self, path: str, *, headers=(), lua: str = "") -> tuple[load.Figures, tuple]:
        """wrk's figures for `path`, and the CPU ms a request of the workers and PostgreSQL."""
        workers, postgres = self.server.cpu_seconds()
        figures = load.wrk(
            self.server.base + path,
            seconds=self.args.seconds,
            connections=self.args.connections,
            headers=headers,
            lua=lua,
        )
        now = self.server.cpu_seconds()
        served = max(figures.requests, 1)
        used = (load.cpu_used(workers, now[0]), load.cpu_used(postgres, now[1]))
        return figures, (1000 * used[0] / served, 1000 * used[1] / served)

    def hello(self, label: str = "hello-world view") -> Row:
        figures, rss = self._drive("/bench/hello/")
        row = Row(label, figures, queries=count_queries(lambda c: c.get("/bench/hello/")), rss=rss)
        return self._rated(row)

    def _rated(self, row: Row) -> Row:
        """The row with the hello-world figures it is compared to."""
        row.hello = self.hello_figures
        row.cpu, row.hello_cpu, self.row_cpu = self.row_cpu, self.hello_cpu, None
        return row

    def _cashier(self):
        if self.cashier is None:
            self.cashier = data.cashier_store()
        return self.cashier

    def checkout(self, *, cards: int, lines: int, label: str) -> Row:
        from django.urls import reverse

        retailer, location, cashier, cookies = self._cashier()
        visit = data.checkout_visit(retailer, location, cashier, cards=cards, lines=lines)
        path = reverse("checkout", args=[visit.pk])
        queries = count_queries(lambda c: c.get(path), cookies=cookies)
        figures, rss = self._drive(path, headers=[cookie_header(cookies)])
        row = self._rated(Row(label, figures, queries=queries, rss=rss))
        if cards == 5:
            row.target, row.met = "≥ 10 % of hello", figures.rps >= 0.10 * self.hello_figures.rps
        return row

    def click(self) -> Row:
        import checkout_click

        lines, clicks = 20, self.args.clicks
        bench, sales, cookies = data.lightspeed_store(self.server.base, lines, clicks + 1)
        queries = count_click_queries(bench, sales.pop(), cookies)
        data.analyze()
        self.hello_figures = self._wrk("/bench/hello/")
        before = max(self.server.worker_rss_mb(), default=0)
        click_ms, pos_ms = checkout_click.time_clicks(bench, self.server.base, cookies, sales)
        after = max(self.server.worker_rss_mb(), default=0)
        own = statistics.median(click_ms) - statistics.median(pos_ms)
        row = self._rated(
            Row(f"button click → rendered checkout, {lines}-line sale", queries=queries)
        )
        row.rss = (before, after)
        row.note = (
            f"{clicks} clicks: median {statistics.median(click_ms):.0f} ms, of which the "
            f"sandbox's GET Sale {statistics.median(pos_ms):.0f} ms: Astro's share {own:.0f} ms "
            f"= {own / max(self.hello_figures.p50, 0.001):.0f} x hello's p50"
        )
        row.target, row.met = "Astro's share ≤ 50 ms median", own <= 50
        return row

    def _api(self):
        if self.api is None:
            self.api = data.api_store(cards=8, customers=8)
        return self.api

    def loyalty(self) -> Row:
        setup = self._api()
        auth = {"HTTP_AUTHORIZATION": f"Api-Key {setup['key']}"}
        paths = [f"/api/v1/links/B-{n}/loyalty" for n in range(setup["customers"])]
        queries = count_queries(lambda c: c.get(paths[0], **auth))
        figures, rss = self._drive(
            paths[0], headers=[f"Authorization: Api-Key {setup['key']}"], lua=load.lua_cycle(paths)
        )
        row = Row("GET /api/v1/links/{id}/loyalty, 8 cards", figures, queries=queries, rss=rss)
        row = self._rated(row)
        row.target, row.met = "≥ 25 % of hello", figures.rps >= 0.25 * self.hello_figures.rps
        return row

    def sale(self, *, lines: int, label: str) -> Row:
        import secrets

        setup = self._api()
        bodies = data.sale_bodies(setup, lines)
        run = f"{setup['run']}-{lines}-{secrets.token_hex(2)}"
        auth = {"HTTP_AUTHORIZATION": f"Api-Key {setup['key']}"}
        calls = iter(range(10))  # a new pos_sale_id each call: a repeat would only replay

        def post(client):
            body = bodies[0][0] + f"{run}-q{next(calls)}" + bodies[0][1]
            return client.post("/api/v1/sales/", body, content_type="application/json", **auth)

        queries = count_queries(post)
        figures, rss = self._drive(
            "/api/v1/sales/",
            headers=[f"Authorization: Api-Key {setup['key']}", "Content-Type: application/json"],
            lua=load.lua_sales("/api/v1/sales/", bodies, run),
        )
        row = self._rated(Row(label, figures, queries=queries, rss=rss))
        if not label.startswith(" "):
            row.target = "≥ 10 % of hello, p99 ≤ 50 ms"
            row.met = figures.rps >= 0.10 * self.hello_figures.rps and figures.p99 <= 50
        return row

    def search(self, owners: int, *, label: str) -> Row:
        retailer, cookies = data.search_store(owners)
        paths = data.search_paths(owners)
        headers = [cookie_header(cookies), "HX-Request: true"]
        queries = count_queries(lambda c: c.get(paths[0], HTTP_HX_REQUEST="true"), cookies=cookies)
        figures, rss = self._drive(paths[0], headers=headers, lua=load.lua_cycle(paths))
        row = self._rated(Row(label, figures, queries=queries, rss=rss))
        if owners >= 100_000:
            row.target, row.met = "p95 ≤ 20 ms", figures.p95 <= 20
        return row

    def memory_row(self, first: list[float], requests: int) -> Row:
        last = self.server.worker_rss_mb()
        served = self.requests - requests
        row = Row(f"memory: each gunicorn worker over the last {served:,} requests")
        row.rss = (max(first, default=0), max(last, default=0))
        growth = [100 * (b - a) / a for a, b in zip(first, last, strict=False) if a]
        worst = max(growth, default=0)
        row.note = "per worker: " + ", ".join(
            f"{a:.0f}→{b:.0f} MB" for a, b in zip(first, last, strict=False)
        )
        row.target, row.met = f"growth ≤ 10 % (worst {worst:+.1f} %)", worst <= 10
        return row


def cookie_header(cookies: dict) -> str:
    return "Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items())


def count_queries(request, *, cookies: dict | None = None) -> int:
    """The queries of one request, in-process (after one warm-up request)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    request(client)
    with CaptureQueriesContext(connection) as captured:
        response = request(client)
    assert response.status_code < 300, (response.status_code, response.content[:300])
    return len(captured)


def count_click_queries(bench, sale, cookies: dict) -> int:
    """One button click's queries in-process: the button view and the checkout it redirects to."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    button = reverse("lightspeed_button", args=[bench.location.button_token])
    with CaptureQueriesContext(connection) as captured:
        page = client.get(button, {"saleID": sale.pk, "customerID": bench.customer.pk}, follow=True)
    assert page.status_code == 200, page.content[:300]
    return len(captured)
