"""A distributor's answer to a claim (SPEC §6 credit status): what it may say, and when."""

from decimal import Decimal, InvalidOperation

from loyalty.models.credits import DeclineReason
from loyalty.models.reports import DELIVERED_STATES, ReportState

ANSWERS = {"credited": ReportState.CREDITED, "declined": ReportState.DECLINED}
_REASONS_BY_WORDS = {
    **{value: value for value in DeclineReason.values},
    **{label.casefold(): value for value, label in DeclineReason.choices},
}


def answer_state(word: str) -> str | None:
    """ "credited" or "declined" (any case) as a report state; None for anything else."""
    return ANSWERS.get(word.strip().casefold())


def decline_reason(word: str) -> str | None:
    """A reason by its code (item_not_in_program) or its words (Item Not In Program)."""
    return _REASONS_BY_WORDS.get(" ".join(word.split()).casefold())


def amount(text: str) -> Decimal | None:
    """A credited amount: a non-negative decimal with at most 2 places, below a million.
    Raises ValueError with a sentence for anything else; "" is no amount."""
    text = text.strip().removeprefix("$")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}” is not an amount.") from None
    if not value.is_finite() or value < 0 or value >= 1_000_000 or value != round(value, 2):
        raise ValueError(f"“{text}” is not an amount of money (like 54.99).")
    return value


def refusal(*, state: str, revision: int, current_revision: int) -> str:
    """Why an answer about `revision` cannot apply to a report in `state`, or "" if it can.
    A distributor may change its mind (declined, then credited on review), so any delivered
    state takes an answer; a report not delivered yet, or an old revision, does not."""
    if revision != current_revision:
        return (
            f"This answers revision {revision}, but the claim is at revision "
            f"{current_revision}: answer the latest send."
        )
    if state not in DELIVERED_STATES:
        label = ReportState(state).label.lower()
        return f"This report is {label}: the distributor has not received it yet."
    return ""
