"""What the register's views share: turning a refusal into a message for the cashier."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.http import HttpRequest

from ..astro_client import AstroRefused, AstroUnreachable
from ..models import Customer
from ..sales import RegisterError


@contextmanager
def refused(request: HttpRequest) -> Iterator[None]:
    """Run the cashier's action; what the register or Astro refuses becomes the page's message
    (the block stops there, and the view goes on after it)."""
    try:
        yield
    except RegisterError as exc:
        messages.error(request, str(exc))
    except AstroUnreachable as exc:
        messages.error(request, f"{exc.message} Try again once Astro is back.")
    except AstroRefused as exc:
        messages.error(request, f"Astro: {exc.message}")


def later_key(customer: Customer) -> str:
    """The session flag of "Not now" on the not-linked pop-up, per customer."""
    return f"rest-register-link-later-{customer.pk}"
