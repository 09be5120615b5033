"""What Astro's own screens need of Lightspeed R-Series (settings.POS_SYSTEMS["lightspeed"])."""

from __future__ import annotations

from django.urls import reverse

from loyalty.models import Location, Retailer

from .return_urls import allowed_hosts_for, is_allowed_return_url

POS_SYSTEM = "lightspeed"


class LightspeedPos:
    """The redirect POS backend: the Astro Loyalty button's URL and the safe return hosts."""

    def button_path(self, location: Location) -> str:
        return reverse("lightspeed_button", args=[location.button_token])

    def return_url_problem(self, url: str, *, retailer: Retailer) -> str:
        hosts = allowed_hosts_for(retailer)
        if is_allowed_return_url(url, extra_hosts=hosts):
            return ""
        return (
            "Use an https:// address on one of these hosts or their subdomains: "
            f"{', '.join(hosts)}."
        )
