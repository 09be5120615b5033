"""Template filters for the one style of names, phone numbers and times (presentation/text)."""

from functools import partial

from django import template
from django.middleware.csrf import get_token
from django.template.backends.utils import csrf_input
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject
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
    values = context.flatten()
    if (request := getattr(context, "request", None)) is not None:
        # The CSRF field worked out once for the fragment (when a row has a form), as a Django
        # template's {% csrf_token %} is once a page: given the request, the Jinja2 backend
        # puts in a lazy one that masks the token anew at every form of every row (a twentieth
        # of a button click's Python, issue 12). The backend has no context processors to run.
        values["request"] = request
        values["csrf_input"] = SimpleLazyObject(partial(csrf_input, request))
        values["csrf_token"] = SimpleLazyObject(partial(get_token, request))
    html = fragment.render(values)
    return mark_safe(html)  # noqa: S308 - autoescaped by the Jinja2 environment
