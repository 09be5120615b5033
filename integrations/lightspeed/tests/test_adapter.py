"""Lightspeed R-Series JSON quirks the adapter must absorb before the domain sees a sale."""

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from integrations.base import PosBadResponse, PosCustomer, PosSale
from integrations.lightspeed.adapter import as_list, customer_from_json, sale_from_json

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def sale(name: str) -> PosSale:
    return sale_from_json(load(name), account_id="123456")


# --- as_list ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ("", []),
        ({"a": "1"}, [{"a": "1"}]),
        ([{"a": "1"}, {"a": "2"}], [{"a": "1"}, {"a": "2"}]),
    ],
)
def test_as_list_turns_one_or_many_or_empty_into_a_list(value, expected):
    assert as_list(value) == expected


# --- Sales ------------------------------------------------------------------------------------
def test_a_sale_with_several_lines_brings_every_line_in_pos_order():
    result = sale("sale_several_lines_with_customer")

    assert result.sale_id == "4711"
    assert result.account_id == "123456"
    assert result.shop_id == "1"
    assert result.employee_id == "3"
    assert [line.line_id for line in result.lines] == ["90210", "90212"]
    first = result.lines[0]
    assert first.description == "Happy Cat Beef 12lb"
    assert first.quantity == 2
    assert first.unit_price == Decimal("24.99")
    assert not first.is_misc
    assert first.parent_line_id is None
    assert not result.is_refund
    assert not result.completed


def test_every_scalar_arrives_as_a_string_and_money_becomes_exact_decimal():
    result = sale("sale_several_lines_with_customer")

    assert isinstance(result.lines[0].quantity, int)
    assert isinstance(result.subtotal, Decimal)
    # Tax makes the total carry many decimals; nothing is rounded or passed through float.
    assert result.total == Decimal("93.87595")


def test_subtotal_is_before_discount_and_tax_and_total_is_what_the_customer_pays():
    """Points are based on the subtotal before discounts and tax (seed 002)."""
    result = sale("sale_several_lines_with_customer")

    assert result.subtotal == Decimal("92.94")
    assert result.discount == Decimal("5")
    assert result.total == result.subtotal - result.discount + Decimal("5.93595")


def test_item_codes_come_upc_first_without_blanks_or_repeats():
    lines = sale("sale_several_lines_with_customer").lines

    assert lines[0].codes == ("012345678905", "HC-BEEF-12", "HCB12", "210000001532")
    # This item has no UPC, and its manufacturer SKU repeats the EAN.
    assert lines[1].codes == ("4006381333931", "210000002077")


def test_a_sale_with_exactly_one_line_still_has_that_line():
    """R-Series sends a single SaleLine as an object, not a one-element list."""
    result = sale("sale_single_line")

    assert len(result.lines) == 1
    assert result.lines[0].line_id == "90301"
    assert result.lines[0].codes[0] == "012345678905"


def test_a_sale_with_no_lines_has_no_lines():
    """An empty relation is the empty string."""
    payload = load("sale_single_line")
    payload["Sale"]["SaleLines"] = ""

    assert sale_from_json(payload).lines == ()


def test_a_sale_with_customer_id_zero_has_no_customer():
    """SPEC §4.2: the cashier is told to add the customer to the sale in the POS."""
    assert sale("sale_no_customer").customer is None


def test_a_sale_with_customer_id_zero_and_an_empty_customer_relation_has_no_customer():
    payload = load("sale_no_customer")
    payload["Sale"]["Customer"] = ""

    assert sale_from_json(payload).customer is None


def test_the_sale_customer_comes_with_name_email_mobile_and_address():
    customer = sale("sale_several_lines_with_customer").customer

    assert customer == PosCustomer(
        pos_customer_id="812",
        first_name="Sally",
        last_name="Owner",
        email="sally@example.com",
        phone="555-0100",
        address1="12 Kibble Lane",
        address2="Apt 3",
        city="Portland",
        state="Oregon",
        postal_code="97201",
        country="United States",
    )


def test_a_customer_whose_relation_was_not_loaded_is_still_known_by_id():
    payload = load("sale_single_line")
    del payload["Sale"]["Customer"]

    assert sale_from_json(payload).customer == PosCustomer(pos_customer_id="903")


def test_a_refund_sale_has_negative_quantities_and_points_at_the_original_lines():
    result = sale("sale_refund")

    assert result.is_refund
    assert result.completed
    assert [line.quantity for line in result.lines] == [-1, -1]
    # The price stays positive; the sign is on the quantity (reference §2.5).
    assert result.lines[0].unit_price == Decimal("42.96")
    assert result.lines[0].parent_line_id == "90212"
    assert result.subtotal == Decimal("-85.92")


def test_a_return_without_a_receipt_has_no_original_line():
    """parentSaleLineID "0" is an empty foreign key, not a line called "0"."""
    assert sale("sale_refund").lines[1].parent_line_id is None


def test_an_exchange_counts_as_a_refund_because_one_line_is_returned():
    payload = load("sale_refund")
    returned = payload["Sale"]["SaleLines"]["SaleLine"][0]
    bought = copy.deepcopy(returned) | {"saleLineID": "90504", "unitQuantity": "1"}
    bought["parentSaleLineID"] = "0"
    payload["Sale"]["SaleLines"]["SaleLine"] = [returned, bought]

    result = sale_from_json(payload)

    assert result.is_refund
    assert [line.quantity for line in result.lines] == [-1, 1]


def test_a_misc_line_is_marked_misc_with_no_codes():
    """itemID "0" has no Item; the checkout shows it as Unknown Item (SPEC §4.4)."""
    misc = sale("sale_misc_line").lines[1]

    assert misc.is_misc
    assert misc.codes == ()
    assert misc.description == ""
    assert misc.unit_price == Decimal("14.99")


def test_layaway_special_order_and_work_order_lines_are_marked_deferred():
    payload = load("sale_single_line")
    line = payload["Sale"]["SaleLines"]["SaleLine"]
    for flag in ("isLayaway", "isSpecialOrder", "isWorkorder"):
        line_with_flag = line | {flag: "true"}
        payload["Sale"]["SaleLines"]["SaleLine"] = line_with_flag
        assert sale_from_json(payload).lines[0].is_deferred, flag
    assert not sale("sale_single_line").lines[0].is_deferred


def test_fee_lines_are_marked_fees():
    payload = load("sale_misc_line")
    payload["Sale"]["SaleLines"]["SaleLine"][1] |= {"lineType": "item_fee", "itemFeeID": "4"}

    lines = sale_from_json(payload).lines

    assert lines[1].is_fee
    assert not lines[0].is_fee


def test_a_voided_sale_is_marked_voided():
    payload = load("sale_single_line")
    payload["Sale"]["voided"] = "true"

    assert sale_from_json(payload).is_voided
    assert not sale("sale_single_line").is_voided


# --- Customers --------------------------------------------------------------------------------
def test_a_customer_with_several_emails_and_phones_gets_primary_email_and_mobile():
    customer = customer_from_json(load("customer_many_contacts")["Customer"])

    assert customer.email == "dana@example.com"
    assert customer.phone == "503-555-0155"
    # The first address wins when there are several.
    assert customer.address1 == "400 Fetch Street"


def test_without_a_mobile_the_home_then_work_number_is_used_never_fax_or_pager():
    customer = load("customer_many_contacts")["Customer"]
    phones = customer["Contact"]["Phones"]["ContactPhone"]

    phones[:] = [p for p in phones if p["useType"] != "Mobile"]
    assert customer_from_json(customer).phone == "503-555-0161"
    phones[:] = [p for p in phones if p["useType"] != "Home"]
    assert customer_from_json(customer).phone == "503-555-0170"
    phones[:] = [p for p in phones if p["useType"] != "Work"]
    assert customer_from_json(customer).phone == ""


def test_without_a_primary_email_the_first_email_is_used():
    customer = load("customer_many_contacts")["Customer"]
    customer["Contact"]["Emails"]["ContactEmail"][1]["useType"] = "Secondary"

    assert customer_from_json(customer).email == "dana.work@example.com"


def test_a_customer_with_no_emails_phones_or_addresses_has_blank_contact_fields():
    """The official Customer sample sends empty relations as ""."""
    customer = customer_from_json(load("customer_no_contacts")["Customer"])

    assert customer == PosCustomer(pos_customer_id="1045", first_name="Walk", last_name="In")


def test_a_customer_without_a_loaded_contact_has_blank_contact_fields():
    customer = load("customer_many_contacts")["Customer"]
    del customer["Contact"]

    assert customer_from_json(customer).email == ""


# --- Malformed payloads -------------------------------------------------------------------------
def _break(change) -> dict[str, Any]:
    payload = load("sale_several_lines_with_customer")
    change(payload["Sale"])
    return payload


MALFORMED = {
    "not an object": lambda: ["Sale"],
    "no Sale": lambda: {"@attributes": {"count": "0"}},
    "a list of sales": lambda: {"Sale": [load("sale_single_line")["Sale"]] * 2},
    "no saleID": lambda: _break(lambda s: s.pop("saleID")),
    "money not a number": lambda: _break(lambda s: s.update(calcSubtotal="12,50")),
    "money missing": lambda: _break(lambda s: s.pop("calcSubtotal")),
    "money infinite": lambda: _break(lambda s: s.update(calcTotal="Infinity")),
    "money as float": lambda: _break(lambda s: s.update(calcTotal=93.87595)),
    "boolean not true/false": lambda: _break(lambda s: s.update(completed="yes")),
    "fractional quantity": lambda: _break(
        lambda s: s["SaleLines"]["SaleLine"][0].update(unitQuantity="1.5")
    ),
    "line without id": lambda: _break(lambda s: s["SaleLines"]["SaleLine"][0].pop("saleLineID")),
    "line not an object": lambda: _break(lambda s: s["SaleLines"].update(SaleLine=["90210"])),
    "SaleLines a list": lambda: _break(lambda s: s.update(SaleLines=[])),
    "Item a string": lambda: _break(lambda s: s["SaleLines"]["SaleLine"][0].update(Item="1532")),
    "phones a list": lambda: _break(lambda s: s["Customer"]["Contact"].update(Phones=["555"])),
    "customer mismatch": lambda: _break(lambda s: s["Customer"].update(customerID="999")),
}


@pytest.mark.parametrize("payload", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_payload_of_the_wrong_shape_raises_bad_response_with_a_message(payload):
    with pytest.raises(PosBadResponse) as error:
        sale_from_json(payload())

    assert "Lightspeed" in error.value.message


def test_a_customer_without_an_id_raises_bad_response():
    with pytest.raises(PosBadResponse, match="customerID"):
        customer_from_json({"firstName": "Nobody"})
