"""What Astro's own screens need of Lightspeed X-Series (settings.POS_SYSTEMS["lightspeed_x"]):
the payment type's Gateway URL, and no return URL (Finished closes the register's window)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from loyalty.models import Location, Retailer


class XSeriesPos:
    """The redirect POS backend of the X-Series payment page."""

    def button_path(self, location: Location) -> str:
        """The Gateway URL path of the Astro Loyalty payment type (Setup → Payment Types)."""
        return reverse("lightspeed_x_gateway", args=[location.button_token])

    def return_url_problem(self, url: str, *, retailer: Retailer) -> str:
        # The register keeps the sale open under its payment window; Finished closes that
        # window (the EXIT step), so a location needs no address to return to.
        return (
            "Leave this blank for Lightspeed X-Series: Finished closes Astro's window on the "
            "register and the cashier is back on the sale."
        )


def done_url(location: Location, sale_id: str) -> str:
    """Where Finished and Incorrect Customer send the cashier: Astro's own page in the register's
    iframe, which tells the register to close it (visit.return_url)."""
    path = reverse("lightspeed_x_done", args=[location.button_token])
    return f"{path}?{urlencode({'sale': sale_id})}"
