"""Forms of paper-card conversion and card notes."""

from django import forms

from loyalty.services.card_notes import MAX_NOTES


class PaperFileForm(forms.Form):
    file = forms.FileField(
        label="Paper cards file (CSV)",
        error_messages={
            "required": "Choose the CSV file of your paper cards first.",
            "empty": "The file is empty. Download the template, fill in one line per card.",
        },
    )
    create_owners = forms.BooleanField(
        label="Create pet owners not found (rows with a first name, last name and an email or "
        "phone)",
        required=False,
    )


class CardNotesForm(forms.Form):
    notes = forms.CharField(
        label="Card notes",
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
