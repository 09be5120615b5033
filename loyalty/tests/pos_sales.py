"""A press of the POS button in a test, the way a redirect integration hands a sale over."""

from collections.abc import Sequence
from decimal import Decimal

from loyalty.contracts.pos import PosCustomer, PosSale
from loyalty.models import Location, PetOwner, User, Visit
from loyalty.services.sales import SaleLineInput, record_pos_sale


def press_pos_button(
    *,
    owner: PetOwner,
    location: Location,
    cashier: User,
    lines: Sequence[SaleLineInput],
    sale_id: str = "900",
    pos_customer_id: str = "77",
    subtotal: Decimal = Decimal("0"),
    total: Decimal | None = None,
    return_url: str = "",
) -> Visit:
    sale = PosSale(
        sale_id=sale_id,
        customer=PosCustomer(pos_customer_id=pos_customer_id),
        lines=tuple(lines),
        subtotal=subtotal,
        total=subtotal if total is None else total,
    )
    result = record_pos_sale(
        owner=owner,
        location=location,
        pos_system="lightspeed",
        sale=sale,
        finalized=False,
        cashier=cashier,
        return_url=return_url,
    )
    return result.visit
