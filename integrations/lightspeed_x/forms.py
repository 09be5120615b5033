"""Forms of Settings → X-Series: a personal token, and each location's outlet."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from loyalty.errors import DomainError
from loyalty.models import Location

from .connecting import check_domain_prefix

ANY_OUTLET = ("", "Any outlet (the payment type's own location)")


class PersonalTokenForm(forms.Form):
    domain_prefix = forms.CharField(
        label="Store domain prefix",
        max_length=90,
        help_text="The first part of the address: mystore for mystore.retail.lightspeed.app",
    )
    token = forms.CharField(
        label="Personal token",
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text="From Setup → Personal Tokens in Lightspeed X-Series.",
    )
    # Only offered while the sandbox is on (the demo): the store is this site's sandbox.
    sandbox = forms.BooleanField(label="This is a sandbox store (demo)", required=False)

    def __init__(self, *args, sandbox_enabled: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not sandbox_enabled:
            del self.fields["sandbox"]

    def clean_domain_prefix(self) -> str:
        try:
            return check_domain_prefix(self.cleaned_data["domain_prefix"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token or any(ch.isspace() for ch in token):
            raise forms.ValidationError("Paste the token exactly as Lightspeed shows it.")
        return token


class OutletForm(forms.Form):
    """One location's outlet; the prefix is the location's id, so rows never cross stores."""

    outlet = forms.ChoiceField(label="X-Series outlet", required=False)

    def __init__(self, *args, outlets: Sequence[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outlet"].choices = [ANY_OUTLET, *outlets]


def outlet_forms(
    locations: Sequence[Location], *, outlets: Sequence[tuple[str, str]], data=None
) -> list[OutletForm]:
    known = list(outlets)
    for location in locations:  # a saved outlet Lightspeed no longer lists stays choosable
        if location.pos_shop_id and location.pos_shop_id not in dict(known):
            known.append((location.pos_shop_id, f"Outlet {location.pos_shop_id} (not listed)"))
    return [
        OutletForm(
            data,
            prefix=f"location-{location.pk}",
            initial={"outlet": location.pos_shop_id},
            outlets=known,
        )
        for location in locations
    ]


def outlets_chosen(locations: Sequence[Location], forms_: Sequence[OutletForm]) -> dict | None:
    """{location id: outlet id}, or None when a row is invalid or two share an outlet."""
    if not all([form.is_valid() for form in forms_]):
        return None
    chosen = {
        loc.pk: form.cleaned_data["outlet"] for loc, form in zip(locations, forms_, strict=True)
    }
    used = [outlet for outlet in chosen.values() if outlet]
    if len(used) != len(set(used)):
        for form in forms_:
            if used.count(form.cleaned_data["outlet"]) > 1 and form.cleaned_data["outlet"]:
                form.add_error("outlet", "Another location already has this outlet.")
        return None
    return chosen
