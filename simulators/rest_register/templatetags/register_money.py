"""{{ amount|money }}: dollars as the register prints them ($1,234.50, -$5.00)."""

from decimal import Decimal, InvalidOperation

from django import template

from ..totals import money as as_money

register = template.Library()


def _decimal(amount) -> Decimal:
    """Amounts come as Decimals from the register and as strings from Astro's JSON."""
    try:
        return Decimal(str(amount if amount is not None else 0))
    except InvalidOperation:
        return Decimal(0)


@register.filter
def money(amount) -> str:
    return as_money(_decimal(amount))


@register.filter
def negative(amount) -> str:
    """A discount as it is taken off: -$5.00."""
    return as_money(-_decimal(amount))


@register.filter
def percent(rate) -> str:
    """0.0825 -> 8.25%"""
    return f"{(rate * 100).normalize():f}%"
