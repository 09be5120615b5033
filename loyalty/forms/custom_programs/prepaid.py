"""The form of a pre-paid package: visits, bonus visits, the price and what one visit is."""

from decimal import Decimal

from django import forms

from loyalty.models import Program
from loyalty.services.custom_programs import PrepaidTerms

from .base import ProgramForm, at_least, at_most_count


class PrepaidForm(ProgramForm):
    visits = forms.IntegerField(label="Visits in the package", initial=6)
    bonus_visits = forms.IntegerField(label="Bonus visits", initial=1, help_text="Free on top.")
    price = forms.DecimalField(max_digits=10, decimal_places=2, label="Package price ($)")
    visit_description = forms.CharField(
        max_length=200,
        label="What one visit is",
        help_text="For example: one day of doggie day care.",
        error_messages={"required": "Say what one visit is, e.g. one full-service groom."},
    )

    @classmethod
    def initial_for(cls, program: Program) -> dict:
        plan = program.prepaid_plan
        return super().initial_for(program) | {
            "visits": plan.visits,
            "bonus_visits": plan.bonus_visits,
            "price": plan.price,
            "visit_description": plan.visit_description,
        }

    def clean_visits(self) -> int:
        at_least(self, "visits", 1, "A package has at least 1 visit.")
        return at_most_count(self, "visits", "Visits in the package")

    def clean_bonus_visits(self) -> int:
        at_least(self, "bonus_visits", 0, "Bonus visits cannot be below 0.")
        return at_most_count(self, "bonus_visits", "Bonus visits")

    def clean_price(self) -> Decimal:
        return at_least(self, "price", Decimal(0), "The price cannot be negative.")

    def terms(self) -> PrepaidTerms:
        data = self.cleaned_data
        return PrepaidTerms(
            data["visits"], data["bonus_visits"], data["price"], data["visit_description"]
        )
