"""The Jinja2 environment of the register's hot fragments (the checkout's sale lines, the cards,
Customer Lookup's rows).

Django's template engine spends some 300 to 500 Python calls on each line or card of a page
(each `{{ }}` is resolved, localized and escaped through several layers); those rows were three
quarters of the checkout's Python time. Jinja2 compiles a template to Python code, so a row
costs a few dozen calls. Only fragments that repeat per row live in `templates/jinja2/`; a page
includes one with `{% jinja_include %}` (loyalty/templatetags/astro.py) and the HTML is what
Django's engine gave (autoescaped; only a fragment's last newline is not put out).
"""

from django.template.loader import get_template
from django.urls import reverse
from jinja2 import ChainableUndefined, Environment, pass_context

from loyalty.presentation.text import national_phone
from loyalty.templatetags.astro import card_title


@pass_context
def django_include(context, name: str, **extra):
    """A Django template (or #partial) from inside a Jinja fragment, as `{% include ... with %}`
    would render it: the page's context plus `extra`. For the rare parts of a row (a card's
    notes, an expanded card) that have their own Django views too."""
    values = {**context.get_all(), **extra}
    request = values.pop("request", None)
    # Django's rendering is a SafeString, which Jinja2 takes as markup (it has __html__).
    return get_template(name, using="django").render(values, request)


def environment(**options) -> Environment:
    # As Django's engine: a missing name or attribute reads as "" (with DEBUG too, where Django's
    # backend would print "{{ name }}"), also one of a missing name.
    options["undefined"] = ChainableUndefined
    options.pop("autoescape", None)  # Django's backend sets it too; never without it
    env = Environment(autoescape=True, **options)
    env.globals["django_include"] = django_include
    env.globals["url"] = lambda name, *args: reverse(name, args=args)
    env.filters["card_title"] = card_title
    env.filters["phone"] = national_phone
    return env
