"""HeartlandClient over real HTTP: against the sandbox (tickets, pages, token errors, the request
budget) and against a scripted server for answers the sandbox never gives."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime

import httpx
import pytest

from integrations.base import (
    PosAuthError,
    PosBadResponse,
    PosNotFound,
    PosRateLimited,
    PosUnavailable,
)
from integrations.heartland import client as client_module
from integrations.heartland.adapter import customer_from_json, sale_from_json
from integrations.heartland.client import HeartlandClient, retry_after
from simulators.heartland.tests.factories import (
    API_PREFIX,
    make_account,
    make_customer,
    make_item,
    make_ticket,
)

from .scripted import ScriptedServer
from .test_adapter import FIXTURES

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def base(live_server) -> str:
    return f"{live_server.url}{API_PREFIX}"


@pytest.fixture
def account():
    return make_account()


@pytest.fixture
def client(base, account):
    client = HeartlandClient(api_base=base, token=account.api_token)
    yield client
    client.close()


def test_a_ticket_and_its_lines_become_a_pos_sale(client, account):
    customer = make_customer(account, phone="(555) 222-3344")
    food = make_item(account)
    ticket = make_ticket(account, [(food, 2, "54.99"), (None, 1, "3.50")], customer=customer)

    sale = sale_from_json(client.get_ticket(str(ticket.pk)), client.ticket_lines(str(ticket.pk)))

    assert sale.sale_id == str(ticket.pk)
    assert [(line.codes, line.quantity, line.unit_price) for line in sale.lines] == [
        (("036000291452", "KIB-25"), 2, Decimal("54.99")),
        ((), 1, Decimal("3.50")),
    ]
    assert sale.customer.last_name == "Lopez" and sale.customer.phone == ""
    assert sale.subtotal == Decimal("113.48") and sale.total == Decimal("122.56")


def test_the_customer_and_its_addresses_give_the_phone(client, account):
    customer = make_customer(account, phone="(555) 222-3344")
    pos_customer = customer_from_json(
        client.get_customer(str(customer.pk)), client.customer_addresses(str(customer.pk))
    )
    assert (pos_customer.phone, pos_customer.city) == ("(555) 222-3344", "Springfield")


def test_every_page_of_lines_is_read(client, account, monkeypatch):
    monkeypatch.setattr(client_module, "PER_PAGE", 2)
    food = make_item(account)
    ticket = make_ticket(account, [(food, n, "1.00") for n in range(1, 6)])

    lines = client.ticket_lines(str(ticket.pk))

    # Five item lines and the tax line, in three pages of two.
    assert [row.get("qty") for row in lines] == [1, 2, 3, 4, 5, None]
    assert lines[-1]["type"] == "TaxLine"


def test_a_server_that_caps_per_page_below_the_ask_still_gives_every_line(client, account):
    """The sandbox caps per_page at 100, as Heartland may: its page count says there is more."""
    food = make_item(account)
    ticket = make_ticket(account, [(food, 1, "1.00")] * 105)
    assert len(client.ticket_lines(str(ticket.pk))) == 106


def test_a_held_ticket_is_not_found(client, account):
    ticket = make_ticket(account, [(make_item(account), 1, "5.00")], saved=False)
    with pytest.raises(PosNotFound):
        client.get_ticket(str(ticket.pk))


def test_an_unknown_ticket_or_one_of_another_account_is_not_found(client, account):
    other = make_account("rival")
    theirs = make_ticket(other, [(make_item(other), 1, "5.00")])
    for ticket_id in ("999999", str(theirs.pk)):
        with pytest.raises(PosNotFound):
            client.get_ticket(ticket_id)


@pytest.mark.parametrize("ticket_id", ["", "abc", "1/../2", "-1", "1" * 19])
def test_an_id_that_is_not_a_number_never_reaches_the_url(client, ticket_id):
    with pytest.raises(PosNotFound):
        client.get_ticket(ticket_id)


def test_a_revoked_token_is_an_auth_error_that_says_what_to_do(client, account):
    account.token_revoked = True
    account.save()
    with pytest.raises(PosAuthError, match="connect the store again"):
        client.locations()


def test_a_wrong_token_is_an_auth_error(base, account):
    wrong = HeartlandClient(api_base=base, token="not-the-token")
    with pytest.raises(PosAuthError):
        wrong.locations()
    wrong.close()


def test_the_request_budget_spent_is_rate_limited_with_retry_after(client, account):
    account.rate_limit, account.rate_window_seconds = 1, 30
    account.save()
    client.locations()
    with pytest.raises(PosRateLimited) as caught:
        client.locations()
    assert 25 <= caught.value.retry_after <= 30


def test_the_token_is_sent_as_a_bearer_and_never_shown_in_repr():
    with ScriptedServer() as server:
        server.json(200, {"total": 0, "pages": 0, "per_page": 100, "results": []})
        client = HeartlandClient(api_base=server.url, token="tok-123456")
        assert client.locations() == []
        assert "tok-123456" not in repr(client)
        client.close()
    request = server.requests[0]
    assert request["headers"]["Authorization"] == "Bearer tok-123456"
    assert request["path"] == "/api/locations?page=1&per_page=100"


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (403, b'{"error": "forbidden"}', PosAuthError, "may not read tickets"),
        (500, b"<html>Internal Server Error</html>", PosUnavailable, "not answering"),
        (503, b"", PosUnavailable, "not answering"),
        (
            422,
            b'{"error": "validation_error", "message": "page must be a positive integer"}',
            PosBadResponse,
            "HTTP 422: page must be a positive integer",
        ),
        (400, b"<html>nope</html>", PosBadResponse, "HTTP 400: no details"),
        (200, b"<html>maintenance</html>", PosBadResponse, "not JSON"),
        (200, b'{"qty": NaN}', PosBadResponse, "not JSON"),
        (200, b"[1, 2]", PosBadResponse, "other than a record"),
    ],
)
def test_odd_answers_become_errors_a_cashier_can_read(status, body, error, message):
    with ScriptedServer() as server:
        server.raw(status, body)
        client = HeartlandClient(api_base=server.url, token="tok")
        with pytest.raises(error, match=message):
            client.get_ticket("1")
        client.close()


@pytest.mark.parametrize(
    "page",
    [
        {"results": "none"},
        {"pages": 1},
        {"results": [1, 2], "pages": 1},
        {"results": [], "pages": "two"},
        {"results": [], "pages": -1},
        {"results": [], "pages": True},
    ],
)
def test_a_page_of_an_odd_shape_is_refused(page):
    with ScriptedServer() as server:
        server.json(200, page)
        client = HeartlandClient(api_base=server.url, token="tok")
        with pytest.raises(PosBadResponse):
            client.ticket_lines("1")
        client.close()


def test_the_recorded_pages_are_read_in_order_and_make_one_sale():
    """The fixture pages (two of two lines, as Heartland sends them) through real HTTP."""
    with ScriptedServer() as server:
        server.raw(200, (FIXTURES / "ticket_with_customer.json").read_bytes())
        server.raw(200, (FIXTURES / "lines_page_1.json").read_bytes())
        server.raw(200, (FIXTURES / "lines_page_2.json").read_bytes())
        client = HeartlandClient(api_base=server.url, token="tok")
        sale = sale_from_json(client.get_ticket("104231"), client.ticket_lines("104231"))
        client.close()
    assert [line.line_id for line in sale.lines] == ["5110001", "5110002", "5110003"]
    assert sale.total == Decimal("133.35")
    paths = [request["path"] for request in server.requests]
    assert paths == [
        "/api/sales/tickets/104231?_include%5B%5D=customer",
        "/api/sales/tickets/104231/lines?_include%5B%5D=item&page=1&per_page=100",
        "/api/sales/tickets/104231/lines?_include%5B%5D=item&page=2&per_page=100",
    ]


def test_a_page_count_that_never_ends_stops_at_the_cap(monkeypatch):
    monkeypatch.setattr(client_module, "MAX_PAGES", 3)
    with ScriptedServer() as server:
        for _ in range(4):
            server.json(200, {"results": [{"id": 1}], "pages": 1000, "per_page": 1})
        client = HeartlandClient(api_base=server.url, token="tok")
        with pytest.raises(PosBadResponse, match="more lines"):
            client.ticket_lines("1")
        client.close()
    assert len(server.requests) == 3


def test_an_empty_page_ends_the_reading_whatever_the_count_said():
    with ScriptedServer() as server:
        server.json(200, {"results": [{"id": 1}], "pages": 5})
        server.json(200, {"results": [], "pages": 5})
        client = HeartlandClient(api_base=server.url, token="tok")
        assert client.ticket_lines("1") == [{"id": 1}]
        client.close()
    assert len(server.requests) == 2


def test_a_429_with_an_http_date_waits_until_that_date():
    when = datetime.now(UTC) + timedelta(seconds=40)
    with ScriptedServer() as server:
        server.json(429, {"error": "rate_limited"}, {"Retry-After": format_datetime(when, True)})
        client = HeartlandClient(api_base=server.url, token="tok")
        with pytest.raises(PosRateLimited) as caught:
            client.get_ticket("1")
        client.close()
    assert 35 <= caught.value.retry_after <= 40


@pytest.mark.parametrize(
    ("header", "seconds"),
    [(None, 1.0), ("", 1.0), ("7", 7.0), ("2.5", 2.5), ("soon", 1.0), ("-3", 0.0), ("inf", 1.0)],
)
def test_retry_after_reads_seconds_and_falls_back_to_one(header, seconds):
    assert retry_after(header) == seconds


def test_a_server_that_is_down_is_unavailable_at_once():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = HeartlandClient(api_base=f"http://127.0.0.1:{port}/api", token="tok")
    started = time.monotonic()
    with pytest.raises(PosUnavailable):
        down.get_ticket("1")
    assert time.monotonic() - started < 3
    down.close()


def test_a_server_that_never_answers_times_out_as_unavailable():
    """A POS that accepts the connection and then hangs must not hang the cashier's screen."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        hanging = HeartlandClient(
            api_base=f"http://127.0.0.1:{silent.getsockname()[1]}/api",
            token="tok",
            timeout=httpx.Timeout(0.5, connect=0.5),
        )
        started = time.monotonic()
        with pytest.raises(PosUnavailable):
            hanging.get_ticket("1")
        assert 0.4 < time.monotonic() - started < 3
        hanging.close()


def test_the_default_timeouts_are_short():
    assert client_module.TIMEOUT.connect == 3.0 and client_module.TIMEOUT.read == 10.0
