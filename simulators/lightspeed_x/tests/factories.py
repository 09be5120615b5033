"""Sandbox X-Series rows for tests: a store with an outlet and a register, tokens, products,
customers and sales."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from simulators.lightspeed_x.models import (
    SaleState,
    SandboxCustomer,
    SandboxLine,
    SandboxOutlet,
    SandboxProduct,
    SandboxRegister,
    SandboxSale,
    SandboxStore,
    SandboxToken,
)

SANDBOX_PREFIX = "/sandbox/lightspeed-x"


def make_store(domain_prefix: str = "pawsome", *, outlets: int = 1, **fields) -> SandboxStore:
    fields.setdefault("client_id", settings.LIGHTSPEED_X_CLIENT_ID)
    fields.setdefault("client_secret", settings.LIGHTSPEED_X_CLIENT_SECRET)
    store = SandboxStore.objects.create(domain_prefix=domain_prefix, name="Pawsome Pets", **fields)
    for number in range(1, outlets + 1):
        outlet = SandboxOutlet.objects.create(store=store, name=f"Outlet {number}")
        SandboxRegister.objects.create(outlet=outlet)
    return store


def register_of(store: SandboxStore) -> SandboxRegister:
    return SandboxRegister.objects.filter(outlet__store=store).order_by("pk").first()


def make_token(store: SandboxStore, *, expired: bool = False) -> SandboxToken:
    token = SandboxToken.issue(store)
    if expired:
        token.expires_at = timezone.now() - timedelta(seconds=1)
        token.save(update_fields=["expires_at"])
    return token


def make_product(store, name="Kibble 25 lb", price="54.99", *, upc="", sku="") -> SandboxProduct:
    sku = sku or f"SKU-{SandboxProduct.objects.count() + 1:04d}"
    return SandboxProduct.objects.create(
        store=store, name=name, price=Decimal(price), upc=upc, sku=sku
    )


def make_customer(
    store, first="Maya", last="Lopez", email="maya@example.com", mobile="(555) 222-3344"
):
    return SandboxCustomer.objects.create(
        store=store, first_name=first, last_name=last, email=email, mobile=mobile
    )


def make_sale(
    store,
    lines=(),
    *,
    customer=None,
    saved=True,
    state=SaleState.PENDING,
    return_for=None,
) -> SandboxSale:
    """A sale with (product, quantity) lines; a negative quantity is a returned line."""
    count = SandboxSale.objects.filter(store=store).count()
    sale = SandboxSale.objects.create(
        store=store,
        register=register_of(store),
        customer=customer,
        saved=saved,
        state=state,
        return_for=return_for,
        invoice_number=str(1001 + count),
    )
    for sequence, (product, quantity) in enumerate(lines):
        SandboxLine.objects.create(
            sale=sale,
            product=product,
            quantity=Decimal(str(quantity)),
            price=product.price,
            sequence=sequence,
        )
    return sale
