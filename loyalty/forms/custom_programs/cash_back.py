"""The form of a cash back program: the percent, what it is counted on, when it is redeemable."""

from decimal import Decimal

from django import forms

from loyalty.models import Program
from loyalty.models.tenancy import PointsBasis
from loyalty.services.custom_programs import CashBackTerms

from .base import ProgramForm, at_least, at_most_count


class CashBackForm(ProgramForm):
    percent = forms.DecimalField(max_digits=5, decimal_places=2, label="Cash back (%)")
    basis = forms.ChoiceField(
        label="Counted on", choices=PointsBasis.choices, initial=PointsBasis.SUBTOTAL
    )
    purchases_required = forms.IntegerField(
        label="Redeemable after this many purchases", initial=10
    )

    @classmethod
    def initial_for(cls, program: Program) -> dict:
        plan = program.cash_back_plan
        return super().initial_for(program) | {
            "percent": plan.percent,
            "basis": plan.basis,
            "purchases_required": plan.purchases_required,
        }

    def clean_percent(self) -> Decimal:
        value = self.cleaned_data["percent"]
        if not Decimal(0) < value <= Decimal(100):
            raise forms.ValidationError("Cash back is a percent above 0 and at most 100.")
        return value

    def clean_purchases_required(self) -> int:
        at_least(self, "purchases_required", 1, "It takes at least 1 purchase.")
        return at_most_count(self, "purchases_required", "The purchases needed")

    def terms(self) -> CashBackTerms:
        data = self.cleaned_data
        return CashBackTerms(data["percent"], data["basis"], data["purchases_required"])
