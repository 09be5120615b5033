"""Reads of My Custom Programs (SPEC §2): the list rows and the one line saying what each gives."""

from django.template.defaultfilters import pluralize

from loyalty.models import Program, Retailer
from loyalty.models.programs import ProgramKind, RewardKind
from loyalty.services.custom_programs import buy_x_get_y_card, custom_programs


def program_rows(*, retailer: Retailer) -> list[tuple[Program, str]]:
    """Every custom program of the store with its summary, in the queries of custom_programs()."""
    return [(program, describe_terms(program)) for program in custom_programs(retailer=retailer)]


def describe_terms(program: Program) -> str:
    """The list row's one-line summary of what the program gives (from prefetched rows)."""
    if program.kind == ProgramKind.BUY_X_GET_Y:
        card = buy_x_get_y_card(program)
        if card is None:
            return "No card yet."
        reward = (
            f"${card.discount_amount} off"
            if card.reward_kind == RewardKind.DISCOUNT_ITEM
            else "1 free"
        )
        qualifying = len(card.qualifying_items.all())
        return (
            f"Buy {card.purchases_required}, get {reward} · {qualifying} qualifying "
            f"item{pluralize(qualifying)}"
        )
    if program.kind == ProgramKind.PREPAID:
        plan = program.prepaid_plan
        return (
            f"{plan.visits} + {plan.bonus_visits} bonus visits for ${plan.price} · "
            f"one visit: {plan.visit_description}"
        )
    cash_back = program.cash_back_plan
    required = cash_back.purchases_required
    return (
        f"{cash_back.percent.normalize():f}% of the {cash_back.get_basis_display().lower()}, "
        f"redeemable after {required} purchase{pluralize(required)}"
    )
