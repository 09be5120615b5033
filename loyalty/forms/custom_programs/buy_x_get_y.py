"""The form of a Buy X Get Y punch card: the purchases needed, the reward and its codes."""

from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import UploadedFile

from loyalty.models import Program
from loyalty.models.programs import RewardKind
from loyalty.services.custom_programs import (
    MIN_PURCHASES,
    BuyXGetYTerms,
    CodeEntry,
    ProgramDetails,
    buy_x_get_y_card,
    code_collisions,
    max_purchases_required,
)

from .base import ProgramForm, at_least
from .codes import codes_text, parse_code_lines


class BuyXGetYForm(ProgramForm):
    purchases_required = forms.IntegerField(label="Purchases needed for the reward (X)")
    reward_kind = forms.ChoiceField(
        label="Reward",
        choices=[
            (RewardKind.FREE_ITEM, "A free item or service"),
            (RewardKind.DISCOUNT_ITEM, "A discount on an item"),
        ],
        initial=RewardKind.FREE_ITEM,
        widget=forms.RadioSelect,
    )
    discount_amount = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=2,
        label="Discount amount ($)",
        help_text="Only for a discount: how much the cashier takes off in the POS.",
    )
    qualifying_codes = forms.CharField(
        label="Qualifying item numbers or UPCs",
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "SELFWASH-S, Self-wash small"}),
        help_text="The codes your POS rings up, one per line. Each purchase of one adds a punch. "
        "You may add a comma and a description.",
        error_messages={"required": "List at least one qualifying item number or UPC."},
    )
    redeemable_codes = forms.CharField(
        required=False,
        label="Redeemable item numbers or UPCs",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the customer may take as the reward, one per line. For a discount you may "
        "leave it empty: the discount then applies to a qualifying item.",
    )
    completion_window_months = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=120,
        label="Complete the card within (months, optional)",
        help_text="Months from a card's first punch; a card not complete by then expires (its "
        "punches stay on History) and the next purchase starts a new card. Leave empty for no "
        "limit.",
    )
    picture = forms.ImageField(required=False, label="Picture (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = max_purchases_required(self.retailer)
        field = self.fields["purchases_required"]
        field.widget.attrs.update(min=MIN_PURCHASES, max=self.limit)
        field.help_text = f"From {MIN_PURCHASES} to {self.limit}." + (
            " Your POS is fully integrated, so cards may go up to 100."
            if self.limit > 30
            else " Up to 100 with a fully integrated POS (Pinogy or Celerant)."
        )

    @classmethod
    def initial_for(cls, program: Program) -> dict:
        initial = super().initial_for(program)
        card = buy_x_get_y_card(program)
        if card is not None:
            initial |= {
                "purchases_required": card.purchases_required,
                "reward_kind": card.reward_kind,
                "discount_amount": card.discount_amount,
                "qualifying_codes": codes_text(card.qualifying_items.all()),
                "redeemable_codes": codes_text(card.redeemable_items.all()),
                "completion_window_months": card.completion_window_months,
                "picture": program.picture,
            }
        return initial

    def clean_purchases_required(self) -> int:
        value = self.cleaned_data["purchases_required"]
        if not MIN_PURCHASES <= value <= self.limit:
            raise forms.ValidationError(
                f"A card needs from {MIN_PURCHASES} to {self.limit} purchases, not {value}."
            )
        return value

    def clean_discount_amount(self) -> Decimal | None:
        return at_least(self, "discount_amount", Decimal("0.01"), "A discount is above $0.")

    def clean_qualifying_codes(self) -> list[CodeEntry]:
        return self._codes("qualifying_codes")

    def clean_redeemable_codes(self) -> list[CodeEntry]:
        return self._codes("redeemable_codes")

    def _codes(self, name: str) -> list[CodeEntry]:
        entries, problems = parse_code_lines(self.cleaned_data[name])
        # SPEC §2: a platform item's code is refused, naming the item and its program.
        problems += [collision.message for collision in code_collisions(entries)]
        if problems:
            raise forms.ValidationError(problems)
        if not entries and self.fields[name].required:
            raise forms.ValidationError(self.fields[name].error_messages["required"])
        return entries

    def clean(self):
        data = super().clean()
        kind = data.get("reward_kind")
        if kind == RewardKind.FREE_ITEM and data.get("redeemable_codes") == []:
            self.add_error(
                "redeemable_codes", "List the free item or service: its item number or UPC."
            )
        if kind == RewardKind.DISCOUNT_ITEM and "discount_amount" in data:
            if data["discount_amount"] is None:
                self.add_error("discount_amount", "Enter the discount amount, e.g. 5.00.")
        return data

    def details(self) -> ProgramDetails:
        picture = self.cleaned_data.get("picture")
        return ProgramDetails(
            name=self.cleaned_data["name"],
            description=self.cleaned_data["description"],
            picture=picture if isinstance(picture, UploadedFile) else None,
            remove_picture=picture is False,
        )

    def terms(self) -> BuyXGetYTerms:
        data = self.cleaned_data
        return BuyXGetYTerms(
            purchases_required=data["purchases_required"],
            reward_kind=data["reward_kind"],
            qualifying=data["qualifying_codes"],
            redeemable=data["redeemable_codes"],
            discount_amount=data["discount_amount"],
            completion_window_months=data.get("completion_window_months"),
        )
