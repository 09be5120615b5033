"""The demo's Heartland Retail sandbox account and Astro's connection to it; safe to load twice.

`seed_demo` calls `seed_heartland` when POS_SANDBOX_ENABLED: the store of heartland_store.py,
one sandbox account with a location and register per store location, the demo catalog's items
(UPCs in the custom field, as a store keeps them), customers who are and are not Astro owners,
the POS UI extension set to Astro's, and a connected HeartlandConnection.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse

from integrations.heartland.connection import connect_account
from integrations.heartland.models import HeartlandConnection
from loyalty.models import Location, PetOwner, Retailer
from simulators.heartland.models import (
    SandboxAccount,
    SandboxCustomer,
    SandboxItem,
    SandboxLocation,
    SandboxStation,
)

from .catalog import upc
from .heartland_store import (
    BEN,
    HEARTLAND_LOGINS,
    HEARTLAND_RETAILER,
    MAYA,
    SELF_WASH,
    link_ben,
    load_heartland_store,
)
from .items_data import ITEMS
from .lightspeed_sandbox import ORDINARY_ITEMS

SUBDOMAIN = "prairiepaws"
# Sold by weight: a fractional qty, which shows in Astro as an Unknown Item to add by hand.
BULK_TREATS = ("BULK-TREATS", "Bulk training treats (per lb)", "7.99")
# A Heartland customer who is not an Astro pet owner yet (area code 618: no demo owner has it).
RILEY = ("Riley", "Thompson", "riley.thompson@example.com", "(618) 555-0187")
ADDRESS = ("412 N Main Street", "Bloomington", "IL", "61701")


def _sandbox_base(base_url: str) -> str:
    """/sandbox/heartland on this site: it stands in for https://{subdomain}.retail.heartland.us."""
    return base_url + reverse("heartland_sandbox:api_root").removesuffix("api/").rstrip("/")


@transaction.atomic
def seed_heartland(*, base_url: str) -> dict[str, Any]:
    """The Heartland store, its sandbox account and connection; what --json prints."""
    base_url = base_url.rstrip("/")
    retailer = load_heartland_store()
    locations = list(Location.objects.filter(retailer=retailer).order_by("pk"))
    account, _ = SandboxAccount.objects.get_or_create(
        subdomain=SUBDOMAIN, defaults={"name": HEARTLAND_RETAILER}
    )
    register_url = base_url + reverse("heartland_sandbox:register")
    for location in locations:
        _location(account, location, register_url)
    extension_url = base_url + reverse("heartland_extension", args=[locations[0].button_token])
    if account.extension_url != extension_url or account.token_revoked:
        account.extension_url, account.token_revoked = extension_url, False
        account.save(update_fields=["extension_url", "token_revoked"])
    _items(account)
    customers = _customers(account, retailer)
    link_ben(retailer, customer_id=str(customers[BEN[2]].pk), location=locations[0])
    api_base = _sandbox_base(base_url) + "/api"
    _connect(retailer, account, api_base)
    return {
        "retailer": HEARTLAND_RETAILER,
        "register_url": register_url,
        "api_base": api_base,
        "subdomain": account.subdomain,
        "api_token": account.api_token,
        "extension_url": extension_url,
        "logins": {
            key: {"username": username, "password": password}
            for key, (username, password, _role) in HEARTLAND_LOGINS.items()
        },
    }


def _location(account: SandboxAccount, location: Location, register_url: str) -> None:
    sandbox, _ = SandboxLocation.objects.get_or_create(
        account=account, name=location.name, defaults={"public_id": location.name[:3].upper()}
    )
    if not sandbox.stations.exists():
        SandboxStation.objects.create(location=sandbox, name="Register 1")
    # A ticket counts for the Astro location mapped to its Heartland location (source_location_id).
    changed = location.pos_shop_id != str(sandbox.pk) or location.pos_return_url != register_url
    if changed:
        location.pos_shop_id, location.pos_return_url = str(sandbox.pk), register_url
        location.save(update_fields=["pos_shop_id", "pos_return_url"])


def _items(account: SandboxAccount) -> None:
    """The demo catalog's UPCs (so Astro recognises them), the store's own item numbers, extras."""
    rows = [
        (f"{description} {size}".strip(), key.upper(), upc(body), price)
        for key, (_brand, description, size, _category, body, price) in ITEMS.items()
    ]
    number, description, _category, price = SELF_WASH
    rows.append((description, number, "", price))
    rows += [(name, f"MISC-{body[-3:]}", upc(body), price) for name, body, price in ORDINARY_ITEMS]
    rows.append((BULK_TREATS[1], BULK_TREATS[0], "", BULK_TREATS[2]))
    for description, public_id, code, price in rows:
        SandboxItem.objects.update_or_create(
            account=account,
            public_id=public_id,
            defaults={"description": description, "upc": code, "price": Decimal(price)},
        )


def _customers(account: SandboxAccount, retailer: Retailer) -> dict[str, SandboxCustomer]:
    """Sally, Maya and Ben as Heartland knows them, and Riley, who is new to Astro; by email."""
    sally = PetOwner.objects.get(retailer=retailer, is_test=True)
    people = [(sally.first_name, sally.last_name, sally.email, sally.phone), MAYA, BEN, RILEY]
    found = {}
    for first_name, last_name, email, phone in people:
        street, city, state, zip_code = ADDRESS
        found[email], _ = SandboxCustomer.objects.update_or_create(
            account=account,
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "phone": phone,
                "address_1": street,
                "city": city,
                "state": state,
                "zip": zip_code,
            },
        )
    return found


def _connect(retailer: Retailer, account: SandboxAccount, api_base: str) -> None:
    """Connect Astro to the account unless it already is, with the account's API token."""
    connection = HeartlandConnection.objects.filter(retailer=retailer).first()
    if (
        connection is not None
        and connection.api_base == api_base
        and connection.token == account.api_token
    ):
        return
    connect_account(
        retailer=retailer,
        subdomain=account.subdomain,
        api_base=api_base,
        token=account.api_token,
        actor=None,
    )
