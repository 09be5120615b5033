"""Mapping the register's customers to Astro pet owners, and the sale's Astro Loyalty tab
(seed 003): once a customer is on the sale the register fetches their Astro account; not
mapped, the cashier creates one (Yes) or finds one by email (Already In Astro)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from .astro_client import AstroRefused, AstroUnreachable, client_for
from .models import Customer, RegisterStore
from .sales import RegisterError

LINKED, NOT_LINKED, UNREACHABLE = "linked", "not_linked", "unreachable"


@dataclass(frozen=True)
class AstroTab:
    """What the Astro Loyalty tab shows: live from Astro, or the last answer while Astro is
    unreachable (`as_of` then says when it was read)."""

    state: str
    loyalty: dict[str, Any] | None = None
    redeemable: list[dict[str, Any]] | None = None
    as_of: datetime | None = None
    message: str = ""

    @property
    def cards(self) -> list[dict[str, Any]]:
        return (self.loyalty or {}).get("cards", [])

    @property
    def is_live(self) -> bool:
        return self.state == LINKED and self.as_of is None


def inventory_codes(store: RegisterStore) -> list[str]:
    """The codes of everything in stock: a complete card is redeemed only with these (seed 003)."""
    rows = store.products.filter(stock__gt=0).values_list("upc", "item_number")
    return sorted({code for pair in rows for code in pair if code})


def read_tab(customer: Customer) -> AstroTab:
    """Ask Astro now; nothing is written (the sale page reads this on every visit)."""
    try:
        with client_for(customer.store) as astro:
            loyalty = astro.loyalty(customer.number)
            redeemable = []
            if any(card["status"] == "complete" for card in loyalty["cards"]):
                redeemable = astro.redeemable(customer.number, inventory_codes(customer.store))
    except AstroRefused as exc:
        if exc.code == "not_linked":
            return AstroTab(NOT_LINKED, message=exc.message)
        return AstroTab(UNREACHABLE, message=exc.message)
    except AstroUnreachable as exc:
        return AstroTab(
            UNREACHABLE,
            loyalty=customer.loyalty_cache,
            redeemable=customer.redeemable_cache,
            as_of=customer.cached_at,
            message=exc.message,
        )
    return AstroTab(LINKED, loyalty, redeemable)


def refresh_customer(customer: Customer) -> AstroTab:
    """Read the tab and keep what it says: the mapping, and a copy for when Astro is down."""
    tab = read_tab(customer)
    if tab.state == LINKED:
        customer.astro_id = tab.loyalty["astro_id"]
        customer.loyalty_cache, customer.redeemable_cache = tab.loyalty, tab.redeemable
        customer.cached_at = timezone.now()
    elif tab.state == NOT_LINKED:
        customer.astro_id = None
        customer.loyalty_cache = customer.redeemable_cache = customer.cached_at = None
    customer.save(update_fields=["astro_id", "loyalty_cache", "redeemable_cache", "cached_at"])
    return tab


def create_in_astro(customer: Customer) -> AstroTab:
    """Yes: a new pet owner from the customer's name, email and phone, mapped to them."""
    body = {
        "pos_customer_id": customer.number,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "email": customer.email,
        "phone": customer.phone,
    }
    with client_for(customer.store) as astro:
        try:
            astro.create_customer(body)
        except AstroRefused as exc:
            if exc.code != "already_linked":  # linked already: the tab shows to whom
                raise
    return refresh_customer(customer)


def find_in_astro(customer: Customer) -> list[dict[str, Any]]:
    """Already In Astro: the pet owners with the customer's email, for the cashier to confirm."""
    if not customer.email:
        raise RegisterError(
            f"{customer} has no email address: add it to the customer, or create a new "
            "Astro account."
        )
    with client_for(customer.store) as astro:
        return astro.find_by_email(customer.email)


def confirm_match(customer: Customer, astro_id: int) -> AstroTab:
    with client_for(customer.store) as astro:
        astro.link(customer.number, astro_id)
    return refresh_customer(customer)


def unlink(customer: Customer) -> None:
    """Undo a wrong mapping (the tab's Unlink); Astro keeps the pet owner."""
    with client_for(customer.store) as astro:
        try:
            astro.unlink(customer.number)
        except AstroRefused as exc:
            if exc.code != "not_linked":
                raise
    refresh_customer(customer)


def new_customer_number(store: RegisterStore) -> str:
    """The next free POS customer id, "<code>-C0001" style."""
    taken = set(store.customers.values_list("number", flat=True))
    number = store.customers.count() + 1
    while f"{store.code}-C{number:04d}" in taken:
        number += 1
    return f"{store.code}-C{number:04d}"
