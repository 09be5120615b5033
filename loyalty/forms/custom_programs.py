"""Forms of My Custom Programs (SPEC §2): one per kind, each message saying what to fix."""

from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import UploadedFile

from loyalty.models import Program, Retailer
from loyalty.models.programs import CUSTOM_KINDS, ProgramKind, RewardKind
from loyalty.models.tenancy import PointsBasis
from loyalty.rules.upc import clean_code, describe_code_problem, gtin_key
from loyalty.services.custom_programs import (
    MIN_PURCHASES,
    BuyXGetYTerms,
    CashBackTerms,
    CodeEntry,
    PrepaidTerms,
    ProgramDetails,
    Terms,
    buy_x_get_y_card,
    max_purchases_required,
)

# The URL's word for each kind (/custom-programs/new/<slug>/).
KIND_SLUGS = {
    "buy-x-get-y": ProgramKind.BUY_X_GET_Y,
    "prepaid": ProgramKind.PREPAID,
    "cash-back": ProgramKind.CASH_BACK,
}
# SPEC §2 (Item): a 12-, 13- or 14-digit code is a UPC/EAN; anything else is an item number.
GTIN_ENTRY_LENGTHS = (12, 13, 14)


def parse_code_lines(text: str) -> tuple[list[CodeEntry], list[str]]:
    """One code per line, optionally followed by a comma and a description. Returns the entries
    and, for each line that cannot be used, a sentence saying why."""
    entries: list[CodeEntry] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for raw in text.splitlines():
        code, _comma, description = raw.partition(",")
        code, description = " ".join(code.split()), description.strip()[:300]
        if not code:
            continue
        digits = clean_code(code)
        gtin = ""
        if digits.isascii() and digits.isdigit() and len(digits) in GTIN_ENTRY_LENGTHS:
            problem = describe_code_problem(digits)
            if problem:
                problems.append(problem)
                continue
            gtin = gtin_key(digits) or ""
        elif len(code) > 100:
            problems.append(f"An item number has at most 100 characters; {code[:20]}… has more.")
            continue
        entry = CodeEntry(code=digits if gtin else code, gtin=gtin, description=description)
        if entry.key in seen:
            problems.append(_duplicate_message(seen[entry.key], entry))
            continue
        seen[entry.key] = entry.code
        entries.append(entry)
    return entries, problems


def _duplicate_message(first: str, again: CodeEntry) -> str:
    if not again.gtin or first == again.code:
        # Item numbers match whatever their case or spacing, as POS exports differ in both.
        return f"{again.code} is listed twice. List each code once."
    return f"{first} and {again.code} are the same product (a UPC and its EAN form). List it once."


def codes_text(items) -> str:
    """The textarea's text for items already on a program: code, description."""
    lines = []
    for item in items:
        same = item.description == item.code
        lines.append(item.code if same else f"{item.code}, {item.description}")
    return "\n".join(lines)


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


def _at_least(form: forms.Form, name: str, minimum: int | Decimal, message: str):
    value = form.cleaned_data[name]
    if value is not None and value < minimum:
        raise forms.ValidationError(message)
    return value


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

    def clean_purchases_required(self) -> int:
        value = self.cleaned_data["purchases_required"]
        if not MIN_PURCHASES <= value <= self.limit:
            raise forms.ValidationError(
                f"A card needs from {MIN_PURCHASES} to {self.limit} purchases, not {value}."
            )
        return value

    def clean_discount_amount(self) -> Decimal | None:
        return _at_least(self, "discount_amount", Decimal("0.01"), "A discount is above $0.")

    def clean_qualifying_codes(self) -> list[CodeEntry]:
        return self._codes("qualifying_codes")

    def clean_redeemable_codes(self) -> list[CodeEntry]:
        return self._codes("redeemable_codes")

    def _codes(self, name: str) -> list[CodeEntry]:
        entries, problems = parse_code_lines(self.cleaned_data[name])
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
        )


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

    def clean_visits(self) -> int:
        return _at_least(self, "visits", 1, "A package has at least 1 visit.")

    def clean_bonus_visits(self) -> int:
        return _at_least(self, "bonus_visits", 0, "Bonus visits cannot be below 0.")

    def clean_price(self) -> Decimal:
        return _at_least(self, "price", Decimal(0), "The price cannot be negative.")

    def terms(self) -> PrepaidTerms:
        data = self.cleaned_data
        return PrepaidTerms(
            data["visits"], data["bonus_visits"], data["price"], data["visit_description"]
        )


class CashBackForm(ProgramForm):
    percent = forms.DecimalField(max_digits=5, decimal_places=2, label="Cash back (%)")
    basis = forms.ChoiceField(
        label="Counted on", choices=PointsBasis.choices, initial=PointsBasis.SUBTOTAL
    )
    purchases_required = forms.IntegerField(
        label="Redeemable after this many purchases", initial=10
    )

    def clean_percent(self) -> Decimal:
        value = self.cleaned_data["percent"]
        if not Decimal(0) < value <= Decimal(100):
            raise forms.ValidationError("Cash back is a percent above 0 and at most 100.")
        return value

    def clean_purchases_required(self) -> int:
        return _at_least(self, "purchases_required", 1, "It takes at least 1 purchase.")

    def terms(self) -> CashBackTerms:
        data = self.cleaned_data
        return CashBackTerms(data["percent"], data["basis"], data["purchases_required"])


FORMS: dict[str, type[ProgramForm]] = {
    ProgramKind.BUY_X_GET_Y: BuyXGetYForm,
    ProgramKind.PREPAID: PrepaidForm,
    ProgramKind.CASH_BACK: CashBackForm,
}


def initial_for(program: Program) -> dict:
    """The form's values for a saved program, so an edit starts from what is there."""
    initial: dict = {"name": program.name, "description": program.description}
    if program.kind == ProgramKind.BUY_X_GET_Y:
        card = buy_x_get_y_card(program)
        if card is not None:
            initial |= {
                "purchases_required": card.purchases_required,
                "reward_kind": card.reward_kind,
                "discount_amount": card.discount_amount,
                "qualifying_codes": codes_text(card.qualifying_items.all()),
                "redeemable_codes": codes_text(card.redeemable_items.all()),
                "picture": program.picture,
            }
    elif program.kind == ProgramKind.PREPAID:
        plan = program.prepaid_plan
        initial |= {
            "visits": plan.visits,
            "bonus_visits": plan.bonus_visits,
            "price": plan.price,
            "visit_description": plan.visit_description,
        }
    else:
        plan = program.cash_back_plan
        initial |= {
            "percent": plan.percent,
            "basis": plan.basis,
            "purchases_required": plan.purchases_required,
        }
    return initial
