"""What the domain sees of a POS: the sale DTOs, the error family, the adapter protocols."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # only for the protocols' signatures
    from loyalty.models import Location, Retailer

# --- DTOs -----------------------------------------------------------------------------------
# Built by a POS adapter from vendor JSON, or by the REST API from its request body; the domain
# never sees vendor JSON (DESIGN.md "Integrations behind adapters"). Text fields are "" when the
# POS has nothing; ids are the POS's own ids as strings.


@dataclass(frozen=True)
class PosCustomer:
    """A customer as the POS knows them; used to find, prefill and link a PetOwner (SPEC §4.3)."""

    pos_customer_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    # Mobile preferred, else home, else work: SPEC §4.3 prefills the owner's mobile.
    phone: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass(frozen=True)
class PosLine:
    """One sale line; a refund line has a negative quantity (SPEC §4.6)."""

    line_id: str
    # Item codes to match against the catalog, best first: upc, ean, customSku,
    # manufacturerSku, systemSku; blanks and repeats dropped. Empty for a misc line.
    codes: tuple[str, ...]
    description: str
    quantity: int
    unit_price: Decimal
    # A line without a catalog item (Lightspeed itemID "0"): shown as Unknown Item (SPEC §4.4).
    is_misc: bool = False
    # The original sale line a refund line returns; None for sales and receipt-less refunds.
    parent_line_id: str | None = None
    # A fee line (e.g. a bag or deposit fee), never merchandise.
    is_fee: bool = False
    # Layaway, special-order or work-order line: the goods are not handed over yet.
    is_deferred: bool = False


@dataclass(frozen=True)
class PosSale:
    """A POS sale as the POS itself told Astro (fetched by id, or posted by a full integration);
    nothing about items or money comes from a URL the cashier's browser opened."""

    sale_id: str
    customer: PosCustomer | None
    lines: tuple[PosLine, ...]
    # Before tax and before discounts: what points are based on (seed 002, SPEC §4). Negative
    # for a refund sale.
    subtotal: Decimal
    # After discounts and with tax: what the customer pays.
    total: Decimal
    completed: bool = False
    # True when any line is a return; an exchange mixes both signs, so classify lines by sign.
    is_refund: bool = False
    account_id: str = ""
    # The POS's shop (store) id; a redirect POS may share one button URL across shops.
    shop_id: str = ""
    employee_id: str = ""
    # Sale-level plus line discounts, so a retailer can base points on subtotal - discount.
    discount: Decimal = Decimal("0")
    # A voided sale does not count towards anything.
    is_voided: bool = False
    # The number the cashier sees on the POS screen and receipt (X-Series' invoice number,
    # Heartland's ticket number) when the POS's own id is an opaque UUID; blank shows the id.
    display_number: str = ""


# --- Errors ---------------------------------------------------------------------------------
class IntegrationError(Exception):
    """A POS or distributor call failed; `message` is safe to show to a cashier."""

    default_message = "The point-of-sale system could not be reached."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class PosUnavailable(IntegrationError):
    """Network error, timeout or a 5xx answer: worth retrying later."""

    default_message = "The point-of-sale system is not answering right now. Try again shortly."


class PosAuthError(IntegrationError):
    """The POS refused our tokens even after a refresh: the connection must be re-authorised."""

    default_message = (
        "Astro's connection to the point-of-sale system needs to be set up again by an admin."
    )


class PosNotFound(IntegrationError):
    """The POS has no such sale or customer in this account."""

    default_message = "The point-of-sale system does not know this sale."


class PosRateLimited(IntegrationError):
    """The POS asked us to slow down; `retry_after` is in seconds."""

    default_message = "The point-of-sale system is busy. Try again in a few seconds."

    def __init__(self, message: str | None = None, *, retry_after: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PosBadResponse(IntegrationError):
    """The POS answered with something we cannot read (not JSON, or not the expected shape)."""

    default_message = "The point-of-sale system sent an answer Astro could not read."


# --- Protocols ------------------------------------------------------------------------------
@runtime_checkable
class PosSaleSource(Protocol):
    """Where a redirect flow gets sales from. One instance is bound to one retailer's POS
    account: the class named in settings.POS_SALE_SOURCES is called with `retailer=`."""

    def fetch_sale(self, sale_id: str) -> PosSale:
        """The sale with its lines and customer; raises an IntegrationError subclass."""
        ...

    def fetch_customer(self, customer_id: str) -> PosCustomer | None:
        """The customer, or None when the POS has none with this id."""
        ...

    def close(self) -> None:
        """Release connections; called once the request is done with the source."""
        ...


@runtime_checkable
class RedirectPos(Protocol):
    """What the store's screens need of a POS that sends cashiers to Astro (a button or a
    payment page): the address its button opens and which return addresses are safe."""

    def button_path(self, location: Location) -> str:
        """The path (no host) the POS button of this location opens."""
        ...

    def return_url_problem(self, url: str, *, retailer: Retailer) -> str:
        """Why `url` may not be a location's return address, or "" when it may."""
        ...
