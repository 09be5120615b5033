"""The register's forms: small, each checking what a cashier can get wrong."""

from __future__ import annotations

from django import forms

from .models import Customer, RegisterStore
from .payment import TENDERS


class ScanForm(forms.Form):
    code = forms.CharField(label="Scan or type a UPC / item number", max_length=40)


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=999)


class CustomerPickForm(forms.Form):
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(), label="Customer", empty_label="Choose a customer"
    )

    def __init__(self, *args, store: RegisterStore, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = store.customers.all()


class NewCustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = ["first_name", "last_name", "email", "phone"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "Astro finds an existing pet owner by email."


class TenderForm(forms.Form):
    tender = forms.ChoiceField(choices=[(t, t) for t in TENDERS], initial=TENDERS[1])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("apply", "Apply"), ("decline", "Not this time")])
    amount = forms.CharField(required=False, max_length=12)


class MatchForm(forms.Form):
    astro_id = forms.IntegerField(min_value=1)


class RedeemForm(forms.Form):
    item_id = forms.IntegerField(min_value=1)


def first_error(form: forms.Form) -> str:
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    return f"{label}: {errors[0]}" if label else errors[0]
