"""Forms of the Lightspeed connect screen: each location's shop ID and Return to POS URL."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from loyalty.models import Location

from .return_urls import DEFAULT_RETURN_URL, is_allowed_return_url


class LocationPosForm(forms.Form):
    """One location's row; the prefix is the location's id, so rows never cross retailers."""

    pos_shop_id = forms.CharField(label="Lightspeed shop ID", max_length=50, required=False)
    pos_return_url = forms.CharField(
        label="Return to POS URL",
        max_length=200,  # Location.pos_return_url's column
        required=False,
        help_text=f"Blank means {DEFAULT_RETURN_URL}",
    )

    def __init__(self, *args, allowed_hosts: Sequence[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_hosts = list(allowed_hosts)

    def clean_pos_shop_id(self) -> str:
        value = self.cleaned_data["pos_shop_id"].strip()
        # R-Series shop ids are numbers (the shopID the button appends, reference §1.2).
        if value and not value.isdigit():
            raise forms.ValidationError("A Lightspeed shop ID is a number, such as 1.")
        return value

    def clean_pos_return_url(self) -> str:
        value = self.cleaned_data["pos_return_url"].strip()
        if value and not is_allowed_return_url(value, extra_hosts=self.allowed_hosts):
            hosts = ", ".join(self.allowed_hosts)
            raise forms.ValidationError(
                f"Use an https:// address on one of these hosts or their subdomains: {hosts}. "
                f"For example {DEFAULT_RETURN_URL}"
            )
        return value


def location_forms(
    locations: Sequence[Location], *, allowed_hosts: Sequence[str], data=None
) -> list[LocationPosForm]:
    return [
        LocationPosForm(
            data,
            prefix=f"location-{location.pk}",
            initial={
                "pos_shop_id": location.pos_shop_id,
                "pos_return_url": location.pos_return_url,
            },
            allowed_hosts=allowed_hosts,
        )
        for location in locations
    ]


def all_valid(location_forms: Sequence[LocationPosForm]) -> bool:
    """Every row valid, and no shop ID on two locations (one Lightspeed shop is one store)."""
    # A list, not a generator: every row must be validated to show all of its errors.
    valid = all([form.is_valid() for form in location_forms])
    seen: dict[str, LocationPosForm] = {}
    for form in location_forms:
        shop_id = form.cleaned_data.get("pos_shop_id") if hasattr(form, "cleaned_data") else ""
        if not shop_id:
            continue
        if shop_id in seen:
            form.add_error("pos_shop_id", "Another location already has this shop ID.")
            valid = False
        seen[shop_id] = form
    return valid
