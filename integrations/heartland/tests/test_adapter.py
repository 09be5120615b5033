"""Heartland Retail JSON, as its API sends it, becomes the DTOs the domain reads: the quirks the
adapter absorbs (numbers, nulls, embedded records, non-item lines) and the shapes it refuses."""

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from integrations.base import PosBadResponse, PosCustomer
from integrations.heartland.adapter import customer_from_json, sale_from_json

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    # As the client parses it: JSON numbers as Decimal.
    return json.loads((FIXTURES / f"{name}.json").read_text(), parse_float=Decimal)


def lines(*names: str) -> list[dict[str, Any]]:
    return [row for name in names for row in load(name)["results"]]


def ticket_sale(ticket="ticket_with_customer", pages=("lines_page_1", "lines_page_2")):
    return sale_from_json(load(ticket), lines(*pages), account="prairiepaws")


def test_a_ticket_becomes_a_sale_with_its_item_lines_in_order_and_the_tax_line_left_out():
    sale = ticket_sale()

    assert sale.sale_id == "104231" and sale.account_id == "prairiepaws"
    assert sale.shop_id == "100001"
    assert sale.display_number == "104231"  # the ticket number the POS shows
    assert [line.line_id for line in sale.lines] == ["5110001", "5110002", "5110003"]
    first, second, misc = sale.lines
    assert first.codes == ("064992522254", "ACANA-POULTRY-25")
    assert (first.quantity, first.unit_price) == (1, Decimal("92.99"))
    # The UPC custom field is found whatever its case; a null custom field is no code.
    assert second.codes == ("186011000335", "STELLA-CHICKEN-6")
    assert (second.quantity, second.unit_price) == (2, Decimal("12.24"))
    assert misc.codes == () and misc.is_misc and misc.description == "Open ring: grooming add-on"
    assert not sale.completed and not sale.is_voided and not sale.is_refund


def test_the_subtotal_is_before_markdowns_and_the_total_is_the_tickets_own():
    sale = ticket_sale()
    # 92.99 + 2 × 13.99 + 6.00 before the Stella markdown of 2 × 1.75 (seed 002: points on the
    # subtotal before discounts and tax).
    assert sale.subtotal == Decimal("126.97")
    assert sale.discount == Decimal("3.50")
    assert sale.total == Decimal("133.35")


def test_the_embedded_customer_comes_with_the_sale():
    sale = ticket_sale()
    assert sale.customer == PosCustomer(
        pos_customer_id="100018",
        first_name="Maya",
        last_name="Lopez",
        email="maya.lopez@example.com",
    )


def test_a_ticket_without_a_customer_has_none():
    sale = ticket_sale("ticket_no_customer", pages=())
    assert sale.customer is None and sale.lines == () and sale.total == 0


def test_a_customer_id_without_the_embedded_customer_still_names_the_customer():
    ticket = load("ticket_with_customer")
    del ticket["customer"]
    sale = sale_from_json(ticket, [])
    assert sale.customer == PosCustomer(pos_customer_id="100018")


def test_an_embedded_customer_that_is_not_the_tickets_customer_is_refused():
    ticket = load("ticket_with_customer")
    ticket["customer"]["id"] = 100019
    with pytest.raises(PosBadResponse, match="customer 100019"):
        sale_from_json(ticket, [])


def test_a_return_has_negative_lines_and_a_completed_ticket_says_so():
    sale = ticket_sale("ticket_complete_refund", pages=("lines_refund",))
    assert sale.is_refund and sale.completed and not sale.is_voided
    assert [(line.quantity, line.unit_price) for line in sale.lines] == [(-1, Decimal("92.99"))]
    assert sale.subtotal == Decimal("-92.99") and sale.total == Decimal("-100.43")
    assert sale.shop_id == "100002"


def test_a_voided_ticket_is_marked_voided():
    sale = ticket_sale("ticket_voided", pages=())
    assert sale.is_voided and not sale.completed


@pytest.mark.parametrize(
    ("status", "completed", "voided"),
    [
        ("pending", False, False),
        ("incomplete", False, False),
        ("DRAFT", False, False),
        ("complete", True, False),
        ("Completed", True, False),
        ("void", False, True),
        (None, False, False),
        ("something-new", False, False),
    ],
)
def test_ticket_statuses_old_new_and_unknown(status, completed, voided):
    ticket = load("ticket_with_customer") | {"status": status}
    sale = sale_from_json(ticket, [])
    assert (sale.completed, sale.is_voided) == (completed, voided)


def test_goods_sold_by_weight_show_as_one_unknown_line_for_their_whole_amount():
    sale = ticket_sale(pages=("lines_by_weight",))
    [line] = sale.lines
    assert line.codes == () and line.is_misc and line.quantity == 1
    assert line.unit_price == Decimal("11.99")  # the line's own value: what the customer paid
    assert line.description == "Bulk training treats (per lb) (1.5 by weight)"
    assert sale.subtotal == Decimal("11.985")


def test_a_weighed_line_without_its_value_rounds_qty_times_price_to_the_cent():
    rows = lines("lines_by_weight")
    del rows[0]["value"]
    [line] = sale_from_json(load("ticket_with_customer"), rows).lines
    assert line.unit_price == Decimal("11.99")  # 11.985 rounds up, as a till does


def test_a_line_of_nothing_is_left_out():
    rows = lines("lines_page_1")
    rows[0]["qty"] = 0
    sale = sale_from_json(load("ticket_with_customer"), rows)
    assert [line.line_id for line in sale.lines] == ["5110002"]


def test_numbers_sent_as_strings_and_ids_as_strings_still_read_exactly():
    rows = lines("lines_page_1")
    rows[0] |= {"id": "5110001", "qty": "2", "unit_price": "92.99", "item_id": "100234"}
    ticket = load("ticket_with_customer") | {"id": "104231", "total": "133.35"}
    sale = sale_from_json(ticket, rows)
    assert sale.lines[0].quantity == 2 and sale.lines[0].unit_price == Decimal("92.99")
    assert sale.sale_id == "104231" and sale.total == Decimal("133.35")


def test_a_line_without_unit_price_falls_back_to_its_price_before_markdown():
    rows = lines("lines_page_1")
    del rows[1]["unit_price"]
    sale = sale_from_json(load("ticket_with_customer"), rows)
    assert sale.lines[1].unit_price == Decimal("13.99")


def test_a_line_whose_item_was_deleted_is_an_unknown_item_with_its_description():
    rows = lines("lines_page_1")
    rows[0]["item"] = None
    sale = sale_from_json(load("ticket_with_customer"), rows)
    assert sale.lines[0].codes == () and sale.lines[0].is_misc
    assert sale.lines[0].description.startswith("Acana Free-Run Poultry")


def test_a_missing_total_is_worked_out_from_the_lines():
    ticket = load("ticket_with_customer")
    del ticket["total"]
    sale = sale_from_json(ticket, lines("lines_page_1", "lines_page_2"))
    # after markdowns 123.47, plus the tax line 9.88
    assert sale.total == Decimal("133.35")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"qty": "two"}, "not a number"),
        ({"qty": True}, "bool for qty"),
        ({"qty": None}, "no qty"),
        ({"unit_price": {"amount": 1}}, "dict for unit_price"),
        ({"id": None}, "no id"),
        ({"id": 12.5}, "not an id"),
        ({"item_id": "abc"}, "not an id"),
        ({"item": ["not", "a", "record"]}, "ticket line item"),
        ({"description": ["x"]}, "list for description"),
    ],
)
def test_odd_line_shapes_are_refused_with_what_was_wrong(change, message):
    rows = lines("lines_page_1")
    rows[0] |= change
    with pytest.raises(PosBadResponse, match=message):
        sale_from_json(load("ticket_with_customer"), rows)


def test_nan_and_infinity_are_not_numbers():
    rows = lines("lines_page_1")
    rows[0]["qty"] = "NaN"
    with pytest.raises(PosBadResponse, match="not a number"):
        sale_from_json(load("ticket_with_customer"), rows)


@pytest.mark.parametrize("ticket", [None, [], "104231", 104231])
def test_a_ticket_that_is_not_a_record_is_refused(ticket):
    with pytest.raises(PosBadResponse, match="ticket"):
        sale_from_json(ticket, [])


def test_a_line_that_is_not_a_record_is_refused():
    with pytest.raises(PosBadResponse, match="ticket line"):
        sale_from_json(load("ticket_with_customer"), ["5110001"])


def test_the_fixtures_are_not_changed_by_parsing():
    ticket = load("ticket_with_customer")
    before = copy.deepcopy(ticket)
    sale_from_json(ticket, lines("lines_page_1"))
    assert ticket == before


# --- Customers --------------------------------------------------------------------------------
def test_a_customer_takes_the_first_address_and_the_first_phone_on_any_address():
    customer = customer_from_json(load("customer"), load("customer_addresses")["results"])
    assert customer == PosCustomer(
        pos_customer_id="100018",
        first_name="Maya",
        last_name="Lopez",
        email="maya.lopez@example.com",
        # Heartland keeps phones on addresses: the first address has none, the second one does.
        phone="(217) 555-0199",
        address1="88 Riverside Drive",
        address2="Apt 2",
        city="Springfield",
        state="IL",
        postal_code="62704",
        country="US",
    )


def test_a_customer_without_addresses_or_email_has_blank_fields():
    raw = load("customer") | {"email": None}
    customer = customer_from_json(raw)
    assert customer.email == "" and customer.phone == "" and customer.city == ""


def test_a_phone_on_the_customer_itself_wins():
    raw = load("customer") | {"phone": "(309) 555-0100"}
    customer = customer_from_json(raw, load("customer_addresses")["results"])
    assert customer.phone == "(309) 555-0100"
