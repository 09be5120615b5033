"""Forms of the POS API settings screen."""

from django import forms

from loyalty.contracts.registry import (
    full_integration_systems,
    is_full_integration,
    pos_system_label,
)
from loyalty.models import Location, Retailer

from .models import FilterField, FilterJoin, FilterOperator


class IssueKeyForm(forms.Form):
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        empty_label=None,
        help_text="The POS registers of this location will use the key.",
    )
    pos_system = forms.ChoiceField(
        label="POS system",
        choices=[],
        required=False,
        help_text="Which POS will call Astro. A store uses one POS integration at a time.",
    )

    def __init__(self, *args, retailer: Retailer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(retailer=retailer)
        self.fields["pos_system"].choices = [
            (system, pos_system_label(system)) for system in full_integration_systems()
        ]
        if is_full_integration(retailer.pos_integration):
            del self.fields["pos_system"]  # already chosen; the screen says which


class FilterConditionForm(forms.Form):
    join = forms.ChoiceField(
        label="Condition",
        choices=[(FilterJoin.AND.value, "AND"), (FilterJoin.OR.value, "OR")],
        required=False,
        help_text="How this condition joins the ones above it (ignored for the first one).",
    )
    field = forms.ChoiceField(choices=FilterField.choices)
    operator = forms.ChoiceField(choices=FilterOperator.choices, initial=FilterOperator.EQUAL)
    value = forms.CharField(max_length=200, help_text="For example: Acana")

    def clean_value(self) -> str:
        value = self.cleaned_data["value"].strip()
        if not value:
            raise forms.ValidationError("Enter the brand, category or UPC to compare with.")
        return value
