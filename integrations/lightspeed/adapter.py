"""Lightspeed R-Series as a PosSaleSource: its V3 JSON (parsed by json.loads) mapped to the DTOs
of integrations.base, fetched through the client."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from integrations.base import PosBadResponse, PosCustomer, PosLine, PosNotFound, PosSale
from loyalty.models import Retailer

from .connection import client_for

# "reference §x" below is shared/reference/lightspeed.md, the R-Series research notes.

# R-Series: an empty foreign key is "0", never null (reference §2.7.3).
EMPTY_ID = "0"
# The order the catalog should try an item's codes in (reference §2.4, Item).
CODE_FIELDS = ("upc", "ean", "customSku", "manufacturerSku", "systemSku")
# Mobile first: SPEC §4.3 prefills the owner's mobile; pager and fax are not phones to call.
PHONE_PREFERENCE = ("Mobile", "Home", "Work")


def as_list(value: Any) -> list[Any]:
    """One-or-many as a list: a missing or "" relation is [], a single object is [object]."""
    # R-Series: a relation with one element is an object, with several a list, and an empty
    # relation is "" (reference §2.7.1-2); an unloaded relation is simply absent.
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def sale_from_json(payload: dict[str, Any], *, account_id: str = "") -> PosSale:
    """The PosSale in a GET Sale/{id}.json response loaded with SaleLines.Item, Customer.Contact.

    The Sale JSON carries no accountID (it is in the URL and the X-LS-Acct-Id header, reference
    §2.1), so the client passes the account it called.
    """
    sale = _object(_object(payload, "response").get("Sale"), "Sale")
    lines = tuple(_line_from_json(line) for line in _relation(sale, "SaleLines", "SaleLine"))
    return PosSale(
        sale_id=_id(sale, "saleID"),
        account_id=account_id,
        shop_id=_text(sale, "shopID"),
        employee_id=_text(sale, "employeeID"),
        customer=_sale_customer(sale),
        lines=lines,
        # calcSubtotal is before discounts and before tax (reference §2.4, Sale), which is
        # exactly what points are based on (seed 002; reference §2.7.9). The discount is kept
        # separately; calcTotal = calcSubtotal - calcDiscount + taxes.
        subtotal=_money(sale, "calcSubtotal"),
        total=_money(sale, "calcTotal" if "calcTotal" in sale else "total"),
        completed=_bool(sale, "completed"),
        is_refund=any(line.quantity < 0 for line in lines),
        discount=_money(sale, "calcDiscount", default="0"),
        is_voided=_bool(sale, "voided"),
    )


def customer_from_json(customer: dict[str, Any]) -> PosCustomer:
    """A PosCustomer from a Customer object (the "Customer" of a Sale or a Customer GET)."""
    customer = _object(customer, "Customer")
    contact = _object(customer.get("Contact") or {}, "Customer.Contact")
    emails = _relation(contact, "Emails", "ContactEmail")
    phones = _relation(contact, "Phones", "ContactPhone")
    addresses = _relation(contact, "Addresses", "ContactAddress")
    address = addresses[0] if addresses else {}
    return PosCustomer(
        pos_customer_id=_id(customer, "customerID"),
        first_name=_text(customer, "firstName"),
        last_name=_text(customer, "lastName"),
        email=_pick_email(emails),
        phone=_pick_phone(phones),
        address1=_text(address, "address1"),
        address2=_text(address, "address2"),
        city=_text(address, "city"),
        state=_text(address, "state") or _text(address, "stateCode"),
        postal_code=_text(address, "zip"),
        country=_text(address, "country") or _text(address, "countryCode"),
    )


# --- The PosSaleSource ------------------------------------------------------------------
class LightspeedSaleSource:
    """The retailer's Lightspeed account (settings.POS_SALE_SOURCES["lightspeed"])."""

    def __init__(self, *, retailer: Retailer) -> None:
        # Raises PosNotConnected (an IntegrationError) when no admin connected the store yet.
        self._client = client_for(retailer)

    def fetch_sale(self, sale_id: str) -> PosSale:
        return sale_from_json(self._client.get_sale(sale_id), account_id=self._client.account_id)

    def fetch_customer(self, customer_id: str) -> PosCustomer | None:
        try:
            payload = self._client.get_customer(customer_id)
        except PosNotFound:
            return None
        customer = payload.get("Customer")
        return customer_from_json(customer) if customer else None

    def close(self) -> None:
        self._client.close()


# --- Sale parts -----------------------------------------------------------------------------
def _line_from_json(line: dict[str, Any]) -> PosLine:
    line = _object(line, "SaleLine")
    # Misc line: "a miscellaneous line with a note and or amount" has itemID "0" and no Item
    # (reference §2.4, SaleLine).
    is_misc = _optional_id(line, "itemID") is None
    # An item line whose Item was not loaded still imports, as an item with no codes.
    item = {} if is_misc else _object(line.get("Item") or {}, "SaleLine.Item")
    return PosLine(
        line_id=_id(line, "saleLineID"),
        codes=_codes(item),
        description=_text(item, "description"),
        # Refunds are negative unitQuantity with a positive unitPrice (reference §2.5-2.6).
        quantity=_quantity(line),
        unit_price=_money(line, "unitPrice"),
        is_misc=is_misc,
        parent_line_id=_optional_id(line, "parentSaleLineID"),
        # lineType item_fee / item_fee_refund (reference §2.4, §2.7.8).
        is_fee=_text(line, "lineType").startswith("item_fee"),
        is_deferred=any(
            _bool(line, flag) for flag in ("isLayaway", "isSpecialOrder", "isWorkorder")
        ),
    )


def _sale_customer(sale: dict[str, Any]) -> PosCustomer | None:
    """The sale's customer; None when customerID is "0" (SPEC §4.2: no customer on the sale)."""
    customer_id = _optional_id(sale, "customerID")
    if customer_id is None:
        return None
    relation = sale.get("Customer")
    if relation in (None, ""):
        # Customer relation not loaded: the id alone still finds an existing link (SPEC §4.3).
        return PosCustomer(pos_customer_id=customer_id)
    customer = customer_from_json(relation)
    if customer.pos_customer_id != customer_id:
        raise PosBadResponse(
            f"Lightspeed sent customer {customer.pos_customer_id} for a sale whose customerID "
            f"is {customer_id}."
        )
    return customer


def _codes(item: dict[str, Any]) -> tuple[str, ...]:
    """The item's non-blank codes in CODE_FIELDS order, each once."""
    codes = (_text(item, field) for field in CODE_FIELDS)
    return tuple(dict.fromkeys(code for code in codes if code))


def _quantity(line: dict[str, Any]) -> int:
    quantity = _decimal(line, "unitQuantity")
    if quantity != quantity.to_integral_value():
        raise PosBadResponse(f"Lightspeed sent a fractional unitQuantity {quantity}.")
    return int(quantity)


# --- Contact parts --------------------------------------------------------------------------
def _pick_email(emails: list[Any]) -> str:
    """The Primary address if there is one, else the first non-blank one."""
    by_use = _by_use(emails, "ContactEmail", "address")
    return by_use.get("Primary") or next(iter(by_use.values()), "")


def _pick_phone(phones: list[Any]) -> str:
    """Mobile, else Home, else Work; "" when only pager or fax numbers exist."""
    by_use = _by_use(phones, "ContactPhone", "number")
    return next((by_use[use] for use in PHONE_PREFERENCE if use in by_use), "")


def _by_use(entries: list[Any], element: str, field: str) -> dict[str, str]:
    """The first non-blank `field` of each useType, in the order Lightspeed lists them."""
    by_use: dict[str, str] = {}
    for entry in entries:
        entry = _object(entry, element)
        value = _text(entry, field)
        if value:
            by_use.setdefault(_text(entry, "useType"), value)
    return by_use


# --- Scalars --------------------------------------------------------------------------------
# R-Series: every scalar is a string, e.g. "completed": "true", "unitQuantity": "2"
# (reference §2.7.3). Anything else is a shape we do not understand.


def _object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        sent = "nothing" if value is None else f"a {type(value).__name__}"
        raise PosBadResponse(f"Lightspeed sent {sent} where a {name} object belongs.")
    return value


def _relation(parent: dict[str, Any], relation: str, element: str) -> list[Any]:
    """The elements of a one-or-many relation such as SaleLines.SaleLine."""
    wrapper = parent.get(relation)
    if wrapper in (None, ""):
        return []
    return as_list(_object(wrapper, relation).get(element))


def _text(obj: dict[str, Any], field: str) -> str:
    value = obj.get(field, "")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PosBadResponse(f"Lightspeed sent a {type(value).__name__} for {field}.")
    return str(value).strip()


def _id(obj: dict[str, Any], field: str) -> str:
    value = _text(obj, field)
    if value in ("", EMPTY_ID):
        raise PosBadResponse(f"Lightspeed sent no {field}.")
    return value


def _optional_id(obj: dict[str, Any], field: str) -> str | None:
    value = _text(obj, field)
    return None if value in ("", EMPTY_ID) else value


def _bool(obj: dict[str, Any], field: str) -> bool:
    value = obj.get(field, "false")
    if value not in ("true", "false", True, False):
        raise PosBadResponse(f"Lightspeed sent {value!r} for {field}, not true or false.")
    return value in ("true", True)


def _decimal(obj: dict[str, Any], field: str, default: str | None = None) -> Decimal:
    text = _text(obj, field) or default
    if text is None:
        raise PosBadResponse(f"Lightspeed sent no {field}.")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise PosBadResponse(f"Lightspeed sent {text!r} for {field}, not a number.") from None
    if not number.is_finite():
        raise PosBadResponse(f"Lightspeed sent {text!r} for {field}, not a number.")
    return number


def _money(obj: dict[str, Any], field: str, default: str | None = None) -> Decimal:
    # Money stays Decimal, unrounded: tax fields can carry many decimals ("11.4860025",
    # reference §2.7.3); round only for display.
    return _decimal(obj, field, default)
