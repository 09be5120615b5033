"""Sandbox rows for tests: an account with a token, customers, items and sales."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from simulators.lightspeed.models import (
    SandboxAccount,
    SandboxCustomer,
    SandboxItem,
    SandboxSale,
    SandboxSaleLine,
    SandboxToken,
)

SANDBOX_PREFIX = "/sandbox/lightspeed"


def make_account(account_id: str = "150001", **fields: object) -> SandboxAccount:
    return SandboxAccount.objects.create(account_id=account_id, **fields)


def make_token(account: SandboxAccount, *, expired: bool = False) -> SandboxToken:
    token = SandboxToken.issue(account)
    if expired:
        token.expires_at = timezone.now() - timedelta(seconds=1)
        token.save(update_fields=["expires_at"])
    return token


def make_customer(account: SandboxAccount, **fields: str) -> SandboxCustomer:
    defaults = {"first_name": "Sally", "last_name": "Owner", "email": "sally@example.com"}
    return SandboxCustomer.objects.create(account=account, **{**defaults, **fields})


def make_item(account: SandboxAccount, description: str, price: str, **codes: str) -> SandboxItem:
    return SandboxItem.objects.create(
        account=account, description=description, price=Decimal(price), **codes
    )


def make_sale(
    account: SandboxAccount,
    lines: list[tuple[SandboxItem | None, int, str, SandboxSaleLine | None]],
    *,
    customer: SandboxCustomer | None = None,
    completed: bool = True,
) -> SandboxSale:
    """A sale with (item or None for a misc line, quantity, unit price, parent line) lines."""
    sale = SandboxSale.objects.create(
        account=account, customer=customer, completed=completed, shop_id="1", employee_id="3"
    )
    for item, quantity, price, parent in lines:
        SandboxSaleLine.objects.create(
            sale=sale,
            item=item,
            unit_quantity=quantity,
            unit_price=Decimal(price),
            parent_line=parent,
        )
    return sale
