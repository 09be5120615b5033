"""Forms of Frequent Buyer (program filters, enrollment) and My Items/Services."""

from dataclasses import asdict

from django import forms
from django.db.models import Q

from loyalty.models import Distributor, Item, Location, Program, Retailer
from loyalty.rules.upc import InvalidCode, validate_upc
from loyalty.selectors.catalog import ProgramFilters
from loyalty.services.items import ItemCodes

ENROLLED_CHOICES = [("", "All programs"), ("yes", "Enrolled"), ("no", "Not enrolled")]


def _choices(values: list[str], everything: str) -> list[tuple[str, str]]:
    return [("", everything)] + [(value, value) for value in values]


class ProgramFilterForm(forms.Form):
    """The filters of Available programs; an unknown value is a message, the rest still apply."""

    category = forms.ChoiceField(required=False, label="Category")
    pet_type = forms.ChoiceField(required=False, label="Pet type")
    fulfillment = forms.ChoiceField(required=False, label="Fulfillment")
    enrolled = forms.ChoiceField(required=False, label="Show", choices=ENROLLED_CHOICES)

    def __init__(self, data, *, choices: dict[str, list[str]]) -> None:
        super().__init__(data)
        self.fields["category"].choices = _choices(choices["categories"], "All categories")
        self.fields["pet_type"].choices = _choices(choices["pet_types"], "All pets")
        self.fields["fulfillment"].choices = _choices(choices["fulfillments"], "All options")

    def filters(self) -> ProgramFilters:
        self.is_valid()
        return ProgramFilters(**{name: self.cleaned_data.get(name) or "" for name in self.fields})

    def problems(self) -> list[str]:
        return [
            f"“{self.data.get(name)}” is not one of the {self.fields[name].label.lower()} choices, "
            "so that filter is off."
            for name in self.errors
        ]


class EnrollForm(forms.Form):
    """SPEC §2 Enrollment: the distributor serving the program, the store's account there, and
    for a multi-location account, the whole account or one location."""

    distributor = forms.ModelChoiceField(
        queryset=Distributor.objects.none(),
        empty_label="Choose a distributor",
        error_messages={
            "required": "Choose the distributor that delivers this program's products to you.",
            "invalid_choice": "Choose one of the distributors listed.",
        },
    )
    account_number = forms.CharField(
        required=False,
        max_length=100,
        label="Your account number at that distributor",
        help_text="Not needed for the Temporary Holding Distributor.",
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        required=False,
        label="Enroll for",
        empty_label="The whole account (every location)",
        error_messages={"invalid_choice": "Choose one of your store's locations."},
    )

    def __init__(self, data=None, *, program: Program, retailer: Retailer) -> None:
        super().__init__(data)
        # Any distributor can be posted; the service says plainly when it does not serve this one.
        self.fields["distributor"].queryset = Distributor.objects.all()
        self.fields["distributor"].choices = self._distributor_choices(program)
        locations = Location.objects.filter(retailer=retailer).order_by("name")
        self.fields["location"].queryset = locations
        # Only a multi-location account chooses; a single store enrolls as a whole.
        self.is_multi_location = locations.count() > 1
        if not self.is_multi_location:
            del self.fields["location"]

    @staticmethod
    def _distributor_choices(program: Program) -> list[tuple[int | str, str]]:
        """Those serving the program by name, then the Temporary Holding Distributor."""
        serving = Distributor.objects.filter(Q(programs=program) | Q(is_temporary_holding=True))
        ordered = sorted(set(serving), key=lambda d: (d.is_temporary_holding, d.name))
        return [("", "Choose a distributor")] + [(d.pk, _distributor_label(d)) for d in ordered]


def _distributor_label(distributor: Distributor) -> str:
    if distributor.is_temporary_holding:
        return f"{distributor.name} (choose it when yours is not listed)"
    return distributor.name


class ItemForm(forms.Form):
    """My Items/Services: how the POS rings an item (UPC or item number) and how it reads."""

    upc = forms.CharField(required=False, max_length=20, label="UPC")
    item_number = forms.CharField(required=False, max_length=100, label="Item number")
    description = forms.CharField(
        max_length=300, error_messages={"required": "Enter a description."}
    )
    size = forms.CharField(required=False, max_length=50)

    def clean_upc(self) -> str:
        raw = self.cleaned_data["upc"].strip()
        if not raw:
            return ""
        try:
            # SPEC §2: a bad check digit, or an EAN where the POS rings a UPC, gets a clear hint.
            return validate_upc(raw)
        except InvalidCode as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not (data.get("upc") or data.get("item_number", "").strip()):
            raise forms.ValidationError(
                "Enter a UPC or an item number: the POS rings the item by one of them."
            )
        return data

    def codes(self) -> ItemCodes:
        data = self.cleaned_data
        return ItemCodes(
            upc=data["upc"],
            item_number=data["item_number"],
            description=data["description"],
            size=data["size"],
        )

    @classmethod
    def initial_for(cls, item: Item) -> "ItemForm":
        return cls(initial=asdict(ItemCodes.of(item)))
