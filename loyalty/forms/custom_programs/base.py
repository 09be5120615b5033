"""What the form of every kind of custom program has: a name unique in the store, a description."""

from decimal import Decimal

from django import forms

from loyalty.models import Program, Retailer
from loyalty.models.programs import CUSTOM_KINDS
from loyalty.services.custom_programs import ProgramDetails, Terms


class ProgramForm(forms.Form):
    """What every custom program has: a name and a description."""

    name = forms.CharField(
        max_length=200,
        label="Program name",
        error_messages={"required": "Give the program a name, e.g. Buy 10 Get 1 Self-Wash."},
    )
    description = forms.CharField(
        required=False,
        label="Description",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What customers and cashiers read about the program.",
    )

    def __init__(self, *args, retailer: Retailer, program: Program | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.retailer, self.program = retailer, program

    @classmethod
    def initial_for(cls, program: Program) -> dict:
        """The form's values for a saved program, so an edit starts from what is there."""
        return {"name": program.name, "description": program.description}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = Program.objects.filter(
            retailer=self.retailer, kind__in=CUSTOM_KINDS, name__iexact=name
        )
        if self.program is not None:
            others = others.exclude(pk=self.program.pk)
        if others.exists():
            raise forms.ValidationError(f"You already have a program called “{name}”.")
        return name

    def details(self) -> ProgramDetails:
        return ProgramDetails(
            name=self.cleaned_data["name"], description=self.cleaned_data["description"]
        )

    def terms(self) -> Terms:
        raise NotImplementedError


# Counts a store types (visits, purchases) are stored as small integers; this bound keeps a
# typo such as 20 digits a form message instead of a database error (issue 13, finding 4).
MOST_COUNT = 999


def at_most_count(form: forms.Form, name: str, what: str) -> int:
    """The cleaned count `name`, refused above MOST_COUNT with a message naming `what`."""
    value = form.cleaned_data[name]
    if value is not None and value > MOST_COUNT:
        raise forms.ValidationError(f"{what} can be at most {MOST_COUNT:,}.")
    return value


def at_least(form: forms.Form, name: str, minimum: int | Decimal, message: str):
    """The cleaned value of `name`, refused with `message` below `minimum`."""
    value = form.cleaned_data[name]
    if value is not None and value < minimum:
        raise forms.ValidationError(message)
    return value
