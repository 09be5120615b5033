"""What Astro's own screens need of Heartland Retail (settings.POS_SYSTEMS["heartland"])."""

from __future__ import annotations

from django.urls import reverse

from loyalty.models import Location, Retailer

from .connection import POS_SYSTEM
from .return_urls import return_url_problem

__all__ = ["POS_SYSTEM", "HeartlandPos"]


class HeartlandPos:
    """The redirect POS backend: the UI extension's URL (what the store adds to Heartland) and
    the safe return addresses."""

    def button_path(self, location: Location) -> str:
        return reverse("heartland_extension", args=[location.button_token])

    def return_url_problem(self, url: str, *, retailer: Retailer) -> str:
        return return_url_problem(url, retailer=retailer)
