"""Sandbox Heartland rows for tests: an account with a location and station, items, customers
and tickets with (item or None, qty, price) lines."""

from __future__ import annotations

from decimal import Decimal

from simulators.heartland.models import (
    SandboxAccount,
    SandboxCustomer,
    SandboxItem,
    SandboxLocation,
    SandboxStation,
    SandboxTicket,
    SandboxTicketLine,
)

API_PREFIX = "/sandbox/heartland/api"
FOOD_UPC = "036000291452"


def make_account(subdomain: str = "pawsome", **fields) -> SandboxAccount:
    account = SandboxAccount.objects.create(subdomain=subdomain, name="Pawsome Pets", **fields)
    location = SandboxLocation.objects.create(account=account, name="Main Street", public_id="MS")
    SandboxStation.objects.create(location=location)
    return account


def station_of(account: SandboxAccount) -> SandboxStation:
    return SandboxStation.objects.filter(location__account=account).order_by("pk").first()


def make_item(account, description="Kibble 25 lb", price="54.99", upc=FOOD_UPC, public_id="KIB-25"):
    return SandboxItem.objects.create(
        account=account, description=description, price=Decimal(price), upc=upc, public_id=public_id
    )


def make_customer(account, first="Maya", last="Lopez", email="maya@example.com", phone=""):
    return SandboxCustomer.objects.create(
        account=account,
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        address_1="214 Main Street" if phone else "",
        city="Springfield" if phone else "",
        state="IL" if phone else "",
        zip="62701" if phone else "",
    )


def make_ticket(account, lines=(), customer=None, status="pending", saved=True) -> SandboxTicket:
    station = station_of(account)
    ticket = SandboxTicket.objects.create(
        account=account,
        location=station.location,
        station=station,
        customer=customer,
        status=status,
        saved=saved,
    )
    for item, qty, price in lines:
        SandboxTicketLine.objects.create(
            ticket=ticket,
            item=item,
            description="" if item else "Open item",
            qty=Decimal(str(qty)),
            unit_price=Decimal(price),
            original_unit_price=Decimal(price),
        )
    return ticket
