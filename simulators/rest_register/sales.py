"""Ringing up an open sale: products, quantities, the customer, and the offers Astro says the
sale gets (Celerant: "the POS will automatically check Astro for any offers and apply" them).

No database transaction is ever held while Astro is asked: Astro may be this same server."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from .astro_client import AstroRefused, AstroUnreachable, client_for
from .models import (
    Customer,
    Product,
    RegisterStore,
    RewardKind,
    Sale,
    SaleLine,
    SaleReward,
    SaleState,
)

MAX_QUANTITY = 999


class RegisterError(Exception):
    """Something the cashier did that the register refuses, with the words to show."""


def open_sale(store: RegisterStore, customer: Customer | None = None) -> Sale:
    return Sale.objects.create(store=store, customer=customer)


def find_product(store: RegisterStore, code: str) -> Product:
    code = code.strip()
    if not code:
        raise RegisterError("Scan a barcode or type a UPC or item number.")
    product = (
        store.products.filter(Q(upc=code) | Q(item_number__iexact=code)).order_by("pk").first()
    )
    if product is None:
        raise RegisterError(f"No item in this store has the code {code}.")
    return product


def check_open(sale: Sale) -> None:
    if not sale.is_open:
        raise RegisterError(f"Sale {sale.pos_sale_id} is {sale.get_state_display().lower()}.")


def add_product(sale: Sale, code: str) -> SaleLine:
    check_open(sale)
    product = find_product(sale.store, code)
    line = sale.lines.filter(product=product, is_reward=False).first()
    if line is not None:
        set_quantity(line, line.quantity + 1)
        return line
    line = SaleLine.objects.create(sale=sale, product=product, unit_price=product.price)
    requote_offers(sale)
    return line


def set_quantity(line: SaleLine, quantity: int) -> None:
    check_open(line.sale)
    if line.is_reward:
        raise RegisterError("A reward item is one free item; remove it to change it.")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise RegisterError(f"Type a quantity from 1 to {MAX_QUANTITY}.")
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    requote_offers(line.sale)


def remove_line(line: SaleLine) -> None:
    check_open(line.sale)
    line.delete()  # a reward line takes its redemption with it
    requote_offers(line.sale)


def set_customer(sale: Sale, customer: Customer | None) -> None:
    """A new customer starts the sale's Astro part afresh: their own offers and prompts."""
    check_open(sale)
    with transaction.atomic():
        sale.rewards.all().delete()
        sale.lines.filter(is_reward=True).delete()
        sale.customer = customer
        sale.save(update_fields=["customer"])
    requote_offers(sale)


def void_sale(sale: Sale) -> None:
    check_open(sale)
    sale.state = SaleState.VOIDED
    sale.save(update_fields=["state"])


def astro_lines(sale: Sale) -> list[dict]:
    """The sale's purchases as Astro reads them; a reward line is not a purchase."""
    return [
        {
            "line_id": str(line.pk),
            "upc": line.product.upc,
            "item_number": line.product.item_number,
            "description": line.product.description,
            "brand": line.product.brand,
            "category": line.product.category,
            "quantity": line.quantity,
            "unit_price": str(line.unit_price),
        }
        for line in sale.lines.select_related("product").filter(is_reward=False)
    ]


def requote_offers(sale: Sale) -> None:
    """Ask Astro which offers the open sale gets and put them on it; they apply only to a
    customer linked to Astro, and none is given when Astro cannot be asked."""
    lines = astro_lines(sale)
    offers: list[dict] = []
    note = ""
    if lines and sale.customer and sale.customer.astro_id:
        try:
            with client_for(sale.store) as astro:
                offers = astro.quote(lines)["offers"]
        except AstroUnreachable:
            note = "Astro cannot be reached: offers were not checked."
        except AstroRefused as exc:
            note = f"Astro did not check the offers: {exc.message}"
    _replace_offers(sale, offers, note)


@transaction.atomic
def _replace_offers(sale: Sale, offers: list[dict], note: str) -> None:
    sale.rewards.filter(kind=RewardKind.OFFER).delete()
    SaleReward.objects.bulk_create(
        SaleReward(
            sale=sale,
            kind=RewardKind.OFFER,
            astro_ref=str(offer["offer_id"]),
            name=offer["name"],
            amount=Decimal(offer["discount"]),
        )
        for offer in offers
    )
    if sale.offers_note != note:
        sale.offers_note = note
        sale.save(update_fields=["offers_note"])
