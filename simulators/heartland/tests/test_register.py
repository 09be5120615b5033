"""The sandbox POS: ringing a ticket up, returns, holding its sync, and the UI extension frame
with what the POS appends to its URL."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from simulators.heartland.models import SandboxTicket, SandboxTicketLine

from .factories import make_account, make_customer, make_item, make_ticket, station_of

pytestmark = pytest.mark.django_db

EXTENSION = "https://astro.example/pos/heartland/tok/extension/?v=2"


@pytest.fixture
def account():
    return make_account(extension_url=EXTENSION)


def url(name, *args):
    return reverse(f"heartland_sandbox:{name}", args=args)


def test_new_ticket_opens_on_the_chosen_register(client, account):
    station = station_of(account)
    response = client.post(url("register"), {"station": station.pk})
    ticket = SandboxTicket.objects.get()
    assert response.url == url("ticket", ticket.pk)
    assert ticket.location == station.location and ticket.saved


def test_the_ticket_frames_the_extension_with_what_the_pos_appends(client, account):
    customer = make_customer(account)
    ticket = make_ticket(account, customer=customer)
    page = client.get(url("ticket", ticket.pk)).content.decode()
    src = page.split('id="astro-extension"')[1].split('src="')[1].split('"')[0]
    query = parse_qs(urlsplit(src.replace("&amp;", "&")).query)
    assert src.startswith("https://astro.example/pos/heartland/tok/extension/?v=2&amp;")
    assert query["ticket_id"] == [str(ticket.pk)]
    assert query["customer_id"] == [str(customer.pk)]
    assert query["subdomain"] == ["pawsome"]
    assert query["account_uuid"] == [str(account.account_uuid)]
    assert query["pos_url"] == [f"http://testserver{url('ticket', ticket.pk)}"]
    # Hidden until the extension asks to be shown (static/js/heartland-register.js).
    assert 'class="hl-extension is-hidden"' in page


def test_without_an_extension_url_the_ticket_says_where_to_set_it(client):
    ticket = make_ticket(make_account("bare"))
    page = client.get(url("ticket", ticket.pk)).content.decode()
    assert "No POS UI extension" in page and "astro-extension" not in page


def test_a_scan_adds_a_line_and_return_mode_adds_a_negative_one(client, account):
    food = make_item(account)
    ticket = make_ticket(account)
    client.post(url("scan", ticket.pk), {"code": food.upc})
    client.post(url("scan", ticket.pk), {"code": "kib-25", "mode": "return"})
    assert list(ticket.lines.values_list("qty", "unit_price")) == [
        (Decimal("1"), Decimal("54.99")),
        (Decimal("-1"), Decimal("54.99")),
    ]


def test_an_unknown_code_adds_nothing_and_says_so(client, account):
    ticket = make_ticket(account)
    response = client.post(url("scan", ticket.pk), {"code": "000"}, follow=True)
    assert "No item has the code 000" in response.content.decode()
    assert not ticket.lines.exists()


def test_qty_can_be_a_weight_and_keeps_a_returns_sign(client, account):
    food = make_item(account)
    ticket = make_ticket(account, [(food, -1, "54.99")])
    line = ticket.lines.get()
    client.post(url("line_qty", ticket.pk, line.pk), {"qty": "1.5"})
    line.refresh_from_db()
    assert line.qty == Decimal("-1.5")


def test_a_held_register_keeps_its_changes_until_it_syncs(client, account):
    food = make_item(account)
    ticket = make_ticket(account, [(food, 1, "54.99")])
    client.post(url("hold", ticket.pk), {"hold": "1"})
    client.post(url("scan", ticket.pk), {"code": food.upc})
    new = client.post(url("register"), {"station": ticket.station_id}).url
    held = SandboxTicket.objects.exclude(pk=ticket.pk).get()
    assert new == url("ticket", held.pk) and not held.saved
    assert list(ticket.lines.values_list("saved", flat=True)) == [True, False]
    page = client.get(url("ticket", ticket.pk)).content.decode()
    assert "1 not saved to Heartland" in page and "Sync now" in page

    client.post(url("hold", ticket.pk), {"hold": "0"})
    held.refresh_from_db()
    assert held.saved and not SandboxTicketLine.objects.filter(saved=False).exists()


def test_pay_completes_the_ticket_and_it_no_longer_changes(client, account):
    food = make_item(account)
    ticket = make_ticket(account, [(food, 1, "54.99")])
    client.post(url("pay", ticket.pk))
    ticket.refresh_from_db()
    assert ticket.status == "complete" and ticket.completed_at is not None
    response = client.post(url("scan", ticket.pk), {"code": food.upc}, follow=True)
    assert "is complete and cannot change" in response.content.decode()
    assert ticket.lines.count() == 1


def test_an_empty_ticket_cannot_be_paid_but_can_be_voided(client, account):
    ticket = make_ticket(account)
    client.post(url("pay", ticket.pk))
    ticket.refresh_from_db()
    assert ticket.status == "pending"
    client.post(url("void", ticket.pk))
    ticket.refresh_from_db()
    assert ticket.status == "voided"


def test_a_customer_is_added_and_removed(client, account):
    customer = make_customer(account)
    ticket = make_ticket(account)
    client.post(url("customer_set", ticket.pk), {"customer": customer.pk})
    ticket.refresh_from_db()
    assert ticket.customer == customer
    client.post(url("customer_set", ticket.pk), {"remove": "1"})
    ticket.refresh_from_db()
    assert ticket.customer is None


def test_finished_can_come_back_by_ticket_id(client, account):
    ticket = make_ticket(account)
    assert client.get(url("register"), {"ticket_id": ticket.pk}).url == url("ticket", ticket.pk)
    assert client.get(url("register"), {"ticket_id": "nope"}).url == url("register")


def test_settings_save_the_extension_url(client, account):
    client.post(
        url("settings"), {"account": account.subdomain, "extension_url": "https://x.example/e/"}
    )
    account.refresh_from_db()
    assert account.extension_url == "https://x.example/e/"
