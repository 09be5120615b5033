"""Which implementation serves each POS system and each distributor delivery, by setting.

Settings name implementations by dotted path (DESIGN.md §5, the way Django picks an email
backend): POS_SYSTEMS (each POS's label, whether it redirects the cashier or calls the REST API,
and the backend its admin screens use), POS_SALE_SOURCES (where each redirect POS's sales are
fetched from) and DISTRIBUTOR_DELIVERY. A new POS is a package of adapters plus settings
entries; nothing in the domain changes. Tests swap in the in-memory twins by setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

from .distributors import ReportDelivery
from .pos import PosSaleSource, RedirectPos

if TYPE_CHECKING:
    from loyalty.models import Retailer

# How a POS works with Astro: it sends the cashier over ("redirect": a button or a payment
# page), or it calls the REST API itself ("full").
REDIRECT, FULL = "redirect", "full"


def pos_system_choices() -> list[tuple[str, str]]:
    """The choices of every `pos_system` column: none, then each configured POS. A callable, so
    a new POS in settings needs no migration."""
    return [("", "None"), *((key, spec["label"]) for key, spec in settings.POS_SYSTEMS.items())]


def pos_system_label(system: str) -> str:
    spec = settings.POS_SYSTEMS.get(system)
    return spec["label"] if spec else ""


def is_full_integration(system: str) -> bool:
    """SPEC §2: a fully integrated POS may show cards of up to 100 punches."""
    return settings.POS_SYSTEMS.get(system, {}).get("integration") == FULL


def full_integration_systems() -> list[str]:
    return [key for key in settings.POS_SYSTEMS if is_full_integration(key)]


def redirect_pos_for(retailer: Retailer) -> RedirectPos:
    """The store's redirect POS, or the default one (DEFAULT_REDIRECT_POS) for a store that has
    not chosen one yet, whose Locations screen still offers its button URL."""
    system = retailer.pos_integration
    spec = settings.POS_SYSTEMS.get(system, {})
    if spec.get("integration") != REDIRECT:
        spec = settings.POS_SYSTEMS[settings.DEFAULT_REDIRECT_POS]
    return import_string(spec["backend"])()


def pos_settings_links(retailer: Retailer) -> list[tuple[str, str]]:
    """(menu label, URL name) of the connection screen of the store's redirect POS, or of every
    redirect POS while the store has chosen none (SPEC §1: one POS integration per store)."""
    systems = [
        spec
        for key, spec in settings.POS_SYSTEMS.items()
        if spec.get("settings_url") and retailer.pos_integration in ("", key)
    ]
    return [(spec["menu_label"], spec["settings_url"]) for spec in systems]


@contextmanager
def open_sale_source(system: str, *, retailer: Retailer) -> Iterator[PosSaleSource]:
    """The retailer's sale source for `system`, closed when the block ends."""
    source = import_string(settings.POS_SALE_SOURCES[system])(retailer=retailer)
    try:
        yield source
    finally:
        source.close()


def report_delivery() -> ReportDelivery:
    return import_string(settings.DISTRIBUTOR_DELIVERY)
