"""Sales: the one pipeline every POS uses, and the line, return and visit rules behind it.

`record_pos_sale` (pipeline.py) is the entry for a sale from any POS; the checkout screen's
actions (services/checkout.py) reuse its pieces: pipeline.py also starts and checks a visit and
applies a returned line, lines.py imports and re-matches lines, multi_purchase.py keeps the
cashier's reasons.
"""

from .line_rows import RETURN_STATES
from .lines import (
    ImportedLines,
    SaleLine,
    SaleLineInput,
    add_anyway,
    ignore_repeat,
    import_lines,
    import_sale,
    import_sale_line,
    rematch_line,
)
from .multi_purchase import multi_purchase_cards, record_multi_purchase_reason
from .pipeline import (
    OPEN_STATES,
    SaleResult,
    apply_return,
    check_visit_open,
    record_pos_sale,
    returned_amount,
    start_visit,
)

__all__ = [
    "OPEN_STATES",
    "RETURN_STATES",
    "ImportedLines",
    "SaleLine",
    "SaleLineInput",
    "SaleResult",
    "add_anyway",
    "apply_return",
    "check_visit_open",
    "ignore_repeat",
    "import_lines",
    "import_sale",
    "import_sale_line",
    "multi_purchase_cards",
    "record_multi_purchase_reason",
    "record_pos_sale",
    "rematch_line",
    "returned_amount",
    "start_visit",
]
