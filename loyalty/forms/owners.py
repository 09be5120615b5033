"""Forms of the cashier screens: a new pet owner, the contact data a reward needs."""

from django import forms

from loyalty.models import PetOwner

ADDRESS_FIELDS = ["address_line", "city", "state", "postal_code"]


class PetOwnerForm(forms.ModelForm):
    """Create New Astro Account, prefilled from the POS customer (SPEC §4 step 3)."""

    class Meta:
        model = PetOwner
        fields = ["first_name", "last_name", "email", "phone", *ADDRESS_FIELDS, "marketing_consent"]
        labels = {"phone": "Mobile phone", "address_line": "Address"}

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("phone")):
            raise forms.ValidationError(
                "Enter an email or a mobile phone so the owner can be found."
            )
        return data


class ContactForm(forms.ModelForm):
    """Only what the program requires before its reward (SPEC §3), every field required."""

    class Meta:
        model = PetOwner
        fields = ["email", *ADDRESS_FIELDS]
        labels = {"address_line": "Address"}

    def __init__(self, *args, missing: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        wanted = (["email"] if "email" in missing else []) + (
            ADDRESS_FIELDS if "address" in missing else []
        )
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
            else:
                self.fields[name].required = True
