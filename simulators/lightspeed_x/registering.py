"""What the sandbox register does to a sale: lines, customer, saving it to the server, paying,
parking, voiding, returning, and what the payment window reported. Each change bumps the sale's
version and, for a sale the server has, sends the sale.update webhook."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from .models import (
    SaleState,
    SandboxCustomer,
    SandboxLine,
    SandboxProduct,
    SandboxRegister,
    SandboxSale,
    SandboxStore,
    next_version,
)
from .webhooks import notify_sale_update

PAYMENT_STEPS = {"ACCEPT", "DECLINE", "EXIT", "PRINT", "SETUP", "DATA"}


class RegisterError(Exception):
    pass


def total_to_pay(sale: SandboxSale) -> Decimal:
    lines = list(sale.lines.all())
    gross = sum((line.total + line.tax * line.quantity for line in lines), Decimal(0))
    return (gross - sale.paid).quantize(Decimal("0.01"))


def _changed(sale: SandboxSale, *fields: str) -> None:
    sale.version = next_version()
    sale.save(update_fields=[*fields, "version", "updated_at"])
    notify_sale_update(sale)


@transaction.atomic
def new_sale(*, store: SandboxStore, register: SandboxRegister, customer=None) -> SandboxSale:
    number = str(1000 + SandboxSale.objects.filter(store=store).count() + 1)
    return SandboxSale.objects.create(
        store=store, register=register, customer=customer, invoice_number=number
    )


@transaction.atomic
def add_product(*, sale: SandboxSale, product: SandboxProduct, quantity: Decimal) -> SandboxLine:
    if not sale.is_open:
        raise RegisterError(f"Sale {sale.invoice_number} can no longer change.")
    sign = -1 if sale.return_for_id else 1
    line = SandboxLine.objects.create(
        sale=sale,
        product=product,
        quantity=quantity * sign,
        price=product.price,
        sequence=sale.lines.count(),
    )
    _changed(sale)
    return line


@transaction.atomic
def set_quantity(*, line: SandboxLine, quantity: Decimal) -> None:
    if not line.sale.is_open:
        raise RegisterError("This sale can no longer change.")
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    _changed(line.sale)


@transaction.atomic
def remove_line(*, line: SandboxLine) -> None:
    if not line.sale.is_open:
        raise RegisterError("This sale can no longer change.")
    sale = line.sale
    line.delete()
    _changed(sale)


@transaction.atomic
def set_customer(*, sale: SandboxSale, customer: SandboxCustomer | None) -> None:
    if not sale.is_open:
        raise RegisterError("This sale can no longer change.")
    sale.customer = customer
    _changed(sale, "customer")


@transaction.atomic
def start_payment(*, sale: SandboxSale) -> None:
    """Pay: the register saves the sale to the server first when the store says so."""
    if not sale.lines.exists():
        raise RegisterError("Add an item before taking a payment.")
    if sale.store.save_on_pay and not sale.saved:
        sale.saved = True
        _changed(sale, "saved")


@transaction.atomic
def park(*, sale: SandboxSale) -> None:
    sale.state, sale.saved = SaleState.PARKED, True
    _changed(sale, "state", "saved")


@transaction.atomic
def pay(*, sale: SandboxSale, amount: Decimal, method: str) -> None:
    """A payment; the sale closes (and is saved) once nothing is left to pay."""
    due = total_to_pay(sale)
    sale.paid += amount
    sale.payment_log = [*sale.payment_log, f"{method}: {amount:.2f} paid"]
    if amount >= due:
        sale.state, sale.saved = SaleState.CLOSED, True
    _changed(sale, "paid", "payment_log", "state", "saved")


@transaction.atomic
def void(*, sale: SandboxSale) -> None:
    sale.state = SaleState.VOIDED
    _changed(sale, "state")


@transaction.atomic
def start_return(*, sale: SandboxSale) -> SandboxSale:
    """A return of a closed sale: a new sale with return_for and negative lines."""
    if sale.state != SaleState.CLOSED:
        raise RegisterError("Only a completed sale can be returned.")
    refund = new_sale(store=sale.store, register=sale.register, customer=sale.customer)
    refund.return_for = sale
    refund.save(update_fields=["return_for"])
    for line in sale.lines.all():
        SandboxLine.objects.create(
            sale=refund,
            product=line.product,
            quantity=-line.quantity,
            price=line.price,
            sequence=line.sequence,
        )
    return refund


@transaction.atomic
def payment_step(*, sale: SandboxSale, step: str, amount: Decimal) -> None:
    """What the payment window's page sent: logged; ACCEPT records the payment."""
    if step not in PAYMENT_STEPS:
        raise RegisterError(f"{step!r} is not a Payments API step.")
    if step == "ACCEPT":
        pay(sale=sale, amount=amount, method="Astro Loyalty (ACCEPT)")
        return
    sale.payment_log = [*sale.payment_log, f"Astro Loyalty: {step}"]
    sale.save(update_fields=["payment_log", "updated_at"])
