"""Forms of Settings → Heartland: connecting with an API token, and which Heartland location
each Astro location is."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from django import forms

from loyalty.models import Location

from .connection import SUBDOMAIN, HeartlandLocation

HEARTLAND_SUFFIX = ".retail.heartland.us"


class ConnectForm(forms.Form):
    subdomain = forms.CharField(
        label="Heartland Retail address",
        max_length=200,
        help_text="Your store's Heartland address, such as yourstore.retail.heartland.us, "
        "or just yourstore.",
    )
    token = forms.CharField(
        label="API token",
        max_length=512,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="In Heartland Retail: your name (top right) → My Account → API Tokens → "
        "Generate new token. Heartland shows it once; paste it here.",
    )

    def __init__(self, *args, sandbox_enabled: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if sandbox_enabled:
            self.fields["sandbox"] = forms.BooleanField(
                label="Use this site's Heartland sandbox (demo only)", required=False
            )

    def clean_subdomain(self) -> str:
        """yourstore, yourstore.retail.heartland.us or a pasted https:// address: the label."""
        value = self.cleaned_data["subdomain"].strip().lower()
        host = urlsplit(value).hostname if "://" in value else value.split("/")[0]
        label = (host or "").removesuffix(HEARTLAND_SUFFIX).strip(".")
        if not SUBDOMAIN.match(label):
            raise forms.ValidationError(
                "Enter the part of your Heartland address before .retail.heartland.us, "
                "such as yourstore (letters, digits and dashes)."
            )
        return label

    def clean_token(self) -> str:
        value = self.cleaned_data["token"]
        if len(value) < 8 or any(ch.isspace() for ch in value):
            raise forms.ValidationError(
                "That does not look like a Heartland API token: paste the whole token, with "
                "no spaces."
            )
        return value


class LocationMapForm(forms.Form):
    """One Heartland location per Astro location, chosen from the account's locations."""

    def __init__(
        self,
        *args,
        locations: Sequence[Location],
        heartland: Sequence[HeartlandLocation],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.locations = list(locations)
        choices = [("", "Not mapped")] + [
            (row.location_id, f"{row.name} (id {row.location_id})") for row in heartland
        ]
        known = {row.location_id for row in heartland}
        for location in self.locations:
            current = location.pos_shop_id
            field_choices = list(choices)
            if current and current not in known:  # mapped to one Heartland no longer lists
                field_choices.append((current, f"Location id {current} (not in Heartland now)"))
            self.fields[f"location_{location.pk}"] = forms.ChoiceField(
                label=location.name, choices=field_choices, required=False, initial=current
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        seen: dict[str, str] = {}
        for location in self.locations:
            name = f"location_{location.pk}"
            value = cleaned.get(name) or ""
            if value and value in seen:
                self.add_error(name, f"{seen[value]} is already this Heartland location.")
            seen.setdefault(value, location.name)
        return cleaned

    def shops(self) -> dict[int, str]:
        return {loc.pk: self.cleaned_data.get(f"location_{loc.pk}") or "" for loc in self.locations}
