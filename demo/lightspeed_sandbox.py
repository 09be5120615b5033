"""The demo's Lightspeed sandbox account and Astro's connection to it; safe to load twice.

`seed_demo` calls `seed_sandbox` for the demo retailer when POS_SANDBOX_ENABLED: one account with
a shop per location (each with the location's Astro Loyalty button URL), the demo catalog's
items, customers who match Astro owners and two who do not, and a connected LightspeedConnection.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.urls import reverse

from integrations.lightspeed.connection import connect_account
from integrations.lightspeed.models import LightspeedConnection
from loyalty.models import Location, PetOwner, Retailer
from loyalty.services.owners import ensure_test_owner
from simulators.lightspeed.models import (
    ACCESS_TOKEN_SECONDS,
    SandboxAccount,
    SandboxCustomer,
    SandboxItem,
    SandboxShop,
    SandboxToken,
)

from .catalog import upc
from .items_data import ITEMS
from .programs_data import RETAILER_ITEMS

DEMO_ACCOUNT_ID = "100042"
# Ordinary goods in no program and not in Astro's catalog: they show up as unknown lines.
# (description, UPC without its check digit, price); upc() adds the GS1 check digit.
ORDINARY_ITEMS: list[tuple[str, str, str]] = [
    ("Nylon Dog Leash, 6 ft", "08419700101", "14.99"),
    ("Rope Chew Toy, Large", "08419700102", "9.49"),
    ("Stainless Steel Dog Bowl, 32 oz", "08419700103", "11.99"),
    ("Unscented Clumping Cat Litter, 20 lb", "08419700104", "17.99"),
    ("Bully Stick, 6 in", "08419700105", "4.49"),
]
# How many generated demo owners also exist as Lightspeed customers (the first, scripted ones).
MATCHING_OWNERS = 3
# Customers of the store who are not Astro pet owners yet (area code 618: no demo owner has it).
NEW_CUSTOMERS: list[tuple[str, str, str, str]] = [
    ("Riley", "Thompson", "riley.thompson@example.com", "(618) 555-0187"),
    ("Jamie", "Ortega", "", "(618) 555-0193"),
]


def sandbox_base(base_url: str) -> str:
    """This site's sandbox, which serves both the OAuth and the V3 API paths."""
    prefix = reverse("lightspeed_sandbox:token").removesuffix("auth/oauth/token")
    return base_url.rstrip("/") + prefix.rstrip("/")


@transaction.atomic
def seed_sandbox(*, retailer: Retailer, locations: Iterable[Location], base_url: str) -> dict:
    """Make the retailer's sandbox account and connection exist; returns how to reach them."""
    base_url = base_url.rstrip("/")
    api_base = sandbox_base(base_url)
    register_url = base_url + reverse("lightspeed_sandbox:register")
    account, _ = SandboxAccount.objects.update_or_create(
        account_id=DEMO_ACCOUNT_ID,
        defaults={
            "name": retailer.name,
            "client_id": settings.LIGHTSPEED_CLIENT_ID,
            "client_secret": settings.LIGHTSPEED_CLIENT_SECRET,
        },
    )
    for number, location in enumerate(locations, start=1):
        _shop(account, location, str(number), base_url=base_url, return_url=register_url)
    _items(account)
    _customers(account, retailer)
    _connect(retailer, account, api_base)
    return {
        "api_base": api_base,
        "account_id": account.account_id,
        "access_token": account.script_token,
        "register_url": register_url,
    }


def _shop(
    account: SandboxAccount, location: Location, shop_id: str, *, base_url: str, return_url: str
) -> SandboxShop:
    button_url = base_url + reverse("lightspeed_button", args=[location.button_token])
    shop, _ = SandboxShop.objects.update_or_create(
        account=account,
        shop_id=shop_id,
        defaults={"name": location.name, "button_url": button_url},
    )
    # Finished sends the cashier back here, with ?saleID=N (reference §1.3).
    location.pos_shop_id = shop_id
    location.pos_return_url = return_url
    location.save(update_fields=["pos_shop_id", "pos_return_url"])
    return shop


def _items(account: SandboxAccount) -> None:
    """The demo catalog's UPCs (so Astro recognises them), the store's own SKUs, and extras."""
    rows = [
        ({"upc": upc(body)}, f"{description} {size}".strip(), price)
        for _brand, description, size, _category, body, price in ITEMS.values()
    ]
    rows += [
        ({"custom_sku": number}, description, price)
        for number, description, _category, price in RETAILER_ITEMS.values()
    ]
    rows += [
        ({"upc": upc(body)}, description, price) for description, body, price in ORDINARY_ITEMS
    ]
    for code, description, price in rows:
        _upsert(
            SandboxItem,
            {"account": account, **code},
            {"description": description, "price": Decimal(price)},
        )


def _customers(account: SandboxAccount, retailer: Retailer) -> None:
    """Sally, the first demo owners as the POS knows them, and two customers new to Astro."""
    sally = ensure_test_owner(retailer)
    owners = [sally] + list(
        PetOwner.objects.filter(retailer=retailer, is_test=False)
        .exclude(email="", phone="")
        .order_by("pk")[:MATCHING_OWNERS]
    )
    people = [(o.first_name, o.last_name, o.email, o.phone) for o in owners] + NEW_CUSTOMERS
    for first_name, last_name, email, phone in people:
        _upsert(
            SandboxCustomer,
            {"account": account, "first_name": first_name, "last_name": last_name},
            {"email": email, "phone": phone},
        )


def _upsert(model: type[Model], lookup: dict[str, Any], values: dict[str, Any]) -> None:
    """update_or_create that tolerates duplicates: the sandbox API can POST the same code or
    name again, and a re-run of seed_demo must not fail on that."""
    row = model.objects.filter(**lookup).order_by("pk").first()
    if row is None:
        model.objects.create(**lookup, **values)
    elif any(getattr(row, field) != value for field, value in values.items()):
        model.objects.filter(pk=row.pk).update(**values)


def _connect(retailer: Retailer, account: SandboxAccount, api_base: str) -> None:
    """Connect Astro to the account unless it already is, with a pair the sandbox still honours."""
    connection = LightspeedConnection.objects.filter(retailer=retailer).first()
    if (
        connection is not None
        and connection.account_id == account.account_id
        and connection.api_base == api_base
        and connection.auth_base == api_base
        # Astro may have rotated the pair since; any live refresh token of it is fine.
        and SandboxToken.objects.filter(
            account=account, refresh_token=connection.refresh_token, revoked=False
        ).exists()
    ):
        return
    token = SandboxToken.issue(account)
    connect_account(
        retailer=retailer,
        account_id=account.account_id,
        api_base=api_base,
        auth_base=api_base,
        access=token.access_token,
        refresh=token.refresh_token,
        expires_in=ACCESS_TOKEN_SECONDS,
        actor=None,
    )
