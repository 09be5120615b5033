"""Which form a kind of custom program uses, and the URL's word for each kind."""

from loyalty.models import Program
from loyalty.models.programs import ProgramKind

from .base import ProgramForm
from .buy_x_get_y import BuyXGetYForm
from .cash_back import CashBackForm
from .prepaid import PrepaidForm

# The URL's word for each kind (/custom-programs/new/<slug>/).
KIND_SLUGS = {
    "buy-x-get-y": ProgramKind.BUY_X_GET_Y,
    "prepaid": ProgramKind.PREPAID,
    "cash-back": ProgramKind.CASH_BACK,
}

FORMS: dict[str, type[ProgramForm]] = {
    ProgramKind.BUY_X_GET_Y: BuyXGetYForm,
    ProgramKind.PREPAID: PrepaidForm,
    ProgramKind.CASH_BACK: CashBackForm,
}


def initial_for(program: Program) -> dict:
    """The form's values for a saved program, so an edit starts from what is there."""
    return FORMS[program.kind].initial_for(program)
