"""Template filters for the one style of names, phone numbers and times (presentation/text)."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from loyalty.presentation import text
from loyalty.presentation.purchases import group_purchases

register = template.Library()

register.filter("when", text.when)
register.filter("day", text.day)
register.filter("phone", text.national_phone)


@register.filter
def card_title(program_card) -> str:
    """{{ card.program_card|card_title }}: program and card name, never the same words twice."""
    return text.card_title(program_card.program.name, program_card.name)


@register.filter
def absolute(value: int) -> int:
    """Points taken back read as a number taken back, not "awarded -64"."""
    return abs(value)


@register.filter
def get(mapping: dict, key):
    """{{ answers|get:card.pk }}: a dialog's kept answer for one card."""
    return mapping.get(key, "") if mapping else ""


@register.filter
def grouped(purchases):
    """{% for row in purchases|grouped %}: Expand Details, one row per sale line with its qty."""
    return group_purchases(purchases)


@register.simple_tag(takes_context=True)
def jinja_include(context, name: str) -> SafeString:
    """{% jinja_include "loyalty/_cards.html" %}: a per-row fragment of templates/jinja2/ with
    this page's context, as {% include %} would render a Django one (loyalty/presentation/jinja.py
    says why)."""
    fragment = get_template(name, using="jinja2")
    html = fragment.render(context.flatten(), getattr(context, "request", None))
    return mark_safe(html)  # noqa: S308 - autoescaped by the Jinja2 environment
