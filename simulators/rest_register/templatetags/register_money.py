"""{{ amount|money }}: dollars as the register prints them ($1,234.50, -$5.00)."""

from django import template

from ..totals import money as as_money

register = template.Library()


@register.filter
def money(amount) -> str:
    return as_money(amount)


@register.filter
def negative(amount) -> str:
    """A discount as it is taken off: -$5.00."""
    return as_money(-(amount or 0))


@register.filter
def percent(rate) -> str:
    """0.0825 -> 8.25%"""
    return f"{(rate * 100).normalize():f}%"
