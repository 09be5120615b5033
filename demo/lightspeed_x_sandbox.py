"""The demo's Lightspeed X-Series store: its own retailer, location and logins in Astro, a
sandbox X-Series store (outlet, register, products, customers) with the Astro Loyalty payment
type and the sale.update webhook set up, and Astro connected to it. Safe to load twice.

`seed_demo` calls `seed_xseries_store` when POS_SANDBOX_ENABLED; what it returns is the
"lightspeed_x_sandbox" key of `seed_demo --json`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from integrations.base import PosLine, PosSale
from integrations.lightspeed_x.connecting import Grant, connect_store
from integrations.lightspeed_x.connection import POS_SYSTEM
from integrations.lightspeed_x.models import XSeriesConnection
from loyalty.models import Distributor, Enrollment, Location, PetOwner, Program, Retailer, User
from loyalty.services.owners import ensure_test_owner, link_pos_customer
from loyalty.services.sales import record_pos_sale
from simulators.lightspeed_x.models import (
    ACCESS_TOKEN_SECONDS,
    SandboxCustomer,
    SandboxOutlet,
    SandboxProduct,
    SandboxRegister,
    SandboxStore,
    SandboxToken,
)

from .catalog import upc
from .items_data import ITEMS
from .lightspeed_sandbox import ORDINARY_ITEMS
from .programs_data import PHILLIPS

RETAILER = "Northside Pet Co."
LOCATION = ("Northside", "1420 N Clark Street, Chicago, IL 60610")
DOMAIN_PREFIX = "northside-pets"
PROGRAMS = ["Acana Dog Frequent Buyer", "Fromm Dog Treats"]
# login key: (username, password, role); public on purpose, like the other demo logins.
LOGINS = {
    "admin": ("xseries-admin", "astro-xseries-admin-demo", "admin"),
    "cashier": ("xseries-cashier", "astro-xseries-cashier-demo", "cashier"),
}
# (first, last, email, mobile, linked in Astro, Acana punches already on the card)
CUSTOMERS = [
    ("Jordan", "Price", "jordan.price@example.com", "(312) 555-0161", True, 12),
    ("Avery", "Brooks", "avery.brooks@example.com", "(312) 555-0174", True, 4),
    ("Casey", "Nguyen", "casey.nguyen@example.com", "(773) 555-0128", False, 0),
]
# The bag the demo's complete card was filled with (it is in the Acana program).
ACANA_BAG = "acana-red-13"


@transaction.atomic
def seed_xseries_store(*, base_url: str) -> dict[str, Any]:
    base_url = base_url.rstrip("/")
    location = _astro_store()
    store = _sandbox_store(location, base_url)
    _connect(location.retailer, store, base_url)
    _customers(location, store)
    return {
        "retailer": RETAILER,
        "location": location.name,
        "domain_prefix": store.domain_prefix,
        "register_url": base_url + reverse("lightspeed_x_sandbox:register", args=[DOMAIN_PREFIX]),
        "api_base": _api_base(base_url),
        "access_token": store.personal_token,
        "gateway_url": store.gateway_url,
        "webhook_url": store.webhook_url,
        "logins": {key: {"username": u, "password": p} for key, (u, p, _r) in LOGINS.items()},
    }


def _api_base(base_url: str) -> str:
    prefix = reverse("lightspeed_x_sandbox:connect").removesuffix("connect")
    return f"{base_url}{prefix}{DOMAIN_PREFIX}"


def _astro_store() -> Location:
    retailer, _ = Retailer.objects.get_or_create(
        name=RETAILER, defaults={"pos_integration": POS_SYSTEM}
    )
    ensure_test_owner(retailer)
    location, _ = Location.objects.get_or_create(
        retailer=retailer, name=LOCATION[0], defaults={"address": LOCATION[1]}
    )
    distributor = Distributor.objects.get(name=PHILLIPS)
    for name in PROGRAMS:
        Enrollment.objects.get_or_create(
            retailer=retailer,
            location=None,
            program=Program.objects.get(name=name, retailer=None),
            defaults={"distributor": distributor, "account_number": "PP-300452"},
        )
    for username, password, role in LOGINS.values():
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "retailer": retailer,
                "role": role,
                "home_location": location,
                "email": f"{username}@example.com",
                "is_active": True,
            },
        )
        user.set_password(password)  # every run, so the printed password always works
        user.save(update_fields=["password"])
    return location


def _sandbox_store(location: Location, base_url: str) -> SandboxStore:
    store, _ = SandboxStore.objects.update_or_create(
        domain_prefix=DOMAIN_PREFIX,
        defaults={
            "name": RETAILER,
            "client_id": settings.LIGHTSPEED_X_CLIENT_ID,
            "client_secret": settings.LIGHTSPEED_X_CLIENT_SECRET,
            "gateway_url": base_url + reverse("lightspeed_x_gateway", args=[location.button_token]),
            "save_on_pay": True,
        },
    )
    outlet, _ = SandboxOutlet.objects.get_or_create(store=store, name=location.name)
    SandboxRegister.objects.get_or_create(outlet=outlet, name="Main Register")
    if location.pos_shop_id != str(outlet.outlet_id):
        location.pos_shop_id = str(outlet.outlet_id)
        location.save(update_fields=["pos_shop_id"])
    rows = [
        (f"{description} {size}".strip(), upc(body), price)
        for _brand, description, size, _category, body, price in ITEMS.values()
    ]
    rows += [(description, upc(body), price) for description, body, price in ORDINARY_ITEMS]
    for number, (name, code, price) in enumerate(rows, start=1):
        SandboxProduct.objects.update_or_create(
            store=store,
            upc=code,
            defaults={"name": name, "sku": f"NS-{number:04d}", "price": Decimal(price)},
        )
    return store


def _connect(retailer: Retailer, store: SandboxStore, base_url: str) -> None:
    """Connect Astro unless it is, with a pair the sandbox still honours; the webhook URL."""
    connection = XSeriesConnection.objects.filter(retailer=retailer).first()
    live = connection is not None and SandboxToken.objects.filter(
        store=store, refresh_token=connection.refresh_token, revoked=False
    )
    if not live or connection.api_base != _api_base(base_url):
        token = SandboxToken.issue(store)
        parts = urlsplit(base_url)
        connection = connect_store(
            retailer=retailer,
            grant=Grant(
                DOMAIN_PREFIX, token.access_token, token.refresh_token, ACCESS_TOKEN_SECONDS
            ),
            api_base=_api_base(base_url),
            register_origin=f"{parts.scheme}://{parts.netloc}",
            actor=None,
        )
    store.webhook_url = base_url + reverse("lightspeed_x_webhook", args=[connection.webhook_key])
    store.save(update_fields=["webhook_url"])


def _customers(location: Location, store: SandboxStore) -> None:
    """The store's customers; the linked ones have Astro accounts, Jordan a complete card."""
    retailer = location.retailer
    sally = ensure_test_owner(retailer)
    people = [(sally.first_name, sally.last_name, sally.email, sally.phone, True, 0), *CUSTOMERS]
    for first, last, email, mobile, linked, punches in people:
        customer, _ = SandboxCustomer.objects.get_or_create(
            store=store,
            first_name=first,
            last_name=last,
            defaults={"email": email, "mobile": mobile},
        )
        if not linked:
            continue
        owner = sally if first == sally.first_name else _owner(retailer, first, last, email, mobile)
        if not owner.pos_links.filter(pos_system=POS_SYSTEM).exists():
            link_pos_customer(
                owner=owner,
                pos_system=POS_SYSTEM,
                pos_customer_id=str(customer.customer_id),
                actor=None,
            )
            if punches:
                _earlier_purchases(owner, location, punches)


def _owner(retailer: Retailer, first: str, last: str, email: str, mobile: str) -> PetOwner:
    owner, _ = PetOwner.objects.get_or_create(
        retailer=retailer,
        email=email,
        defaults={"first_name": first, "last_name": last, "phone": mobile},
    )
    return owner


def _earlier_purchases(owner: PetOwner, location: Location, count: int) -> None:
    """Bags bought before the demo, as a paid X-Series sale (12 complete Jordan's card)."""
    _brand, description, size, _category, body, price = ITEMS[ACANA_BAG]
    line = PosLine("demo-1", (upc(body),), f"{description} {size}", count, Decimal(price))
    subtotal = Decimal(price) * count
    sale = PosSale(
        sale_id=f"demo-earlier-{owner.pk}",
        customer=None,
        lines=(line,),
        subtotal=subtotal,
        total=subtotal,
        completed=True,
    )
    record_pos_sale(
        owner=owner, location=location, pos_system=POS_SYSTEM, sale=sale, finalized=True
    )


def as_text(xseries: dict[str, Any]) -> list[str]:
    """The lines seed_demo prints for the X-Series store."""
    logins = xseries["logins"]
    return [
        f"Lightspeed X-Series sandbox register ({xseries['retailer']}): {xseries['register_url']}",
        "  New sale → add a customer and items → Pay → Astro Loyalty opens Astro in the register.",
        f"  Logins: cashier {logins['cashier']['username']} / {logins['cashier']['password']}, "
        f"admin {logins['admin']['username']} / {logins['admin']['password']}",
        f"  API {xseries['api_base']} (version {settings.LIGHTSPEED_X_API_VERSION}), "
        f"personal token {xseries['access_token']}",
        "",
    ]
