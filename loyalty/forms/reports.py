"""Forms of the Redemption Reports screen: fixing a declined claim, uploading a credit file."""

from django import forms

from loyalty.models import DistributorReport, Item
from loyalty.services.distributor_reports.credit_files import MAX_BYTES
from loyalty.services.distributor_reports.credits import Correction


class ResubmitForm(forms.Form):
    """What the decline's reason asks to fix: the free item (one the program card allows), the
    store's account number at the distributor, and a note for the distributor."""

    item = forms.ModelChoiceField(
        queryset=Item.objects.none(), required=False, label="Free item", empty_label="Unchanged"
    )
    account_number = forms.CharField(max_length=100, required=False, label="Account number")
    note = forms.CharField(
        max_length=500,
        required=False,
        label="Note to the distributor",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, report: DistributorReport, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        if report.redemption_id and not report.offer_redemption_id:
            program_card = report.redemption.card.program_card
            items = program_card.redeemable_items.order_by("description", "size")
            self.fields["item"].queryset = items  # type: ignore[attr-defined]
        else:
            del self.fields["item"]  # an offer's item is the sale's: nothing to pick
        self.fields["account_number"].initial = report.account_number

    def correction(self) -> Correction:
        data = self.cleaned_data
        return Correction(
            item=data.get("item"),
            account_number=data["account_number"].strip(),
            note=data["note"].strip(),
        )


class CreditFileForm(forms.Form):
    """The distributor's credit file as uploaded, or (Apply) its text as previewed."""

    file = forms.FileField(required=False, label="Credit file (CSV)")
    text = forms.CharField(required=False, widget=forms.HiddenInput, max_length=MAX_BYTES)

    def clean(self) -> dict:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError("The file is over 2 MB: split it.")
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("The file is not CSV text (UTF-8).") from None
        if not data.get("text"):
            raise forms.ValidationError("Choose the distributor's credit file (CSV).")
        return data
