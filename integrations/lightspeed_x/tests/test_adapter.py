"""X-Series JSON (the vendor's documented examples and schema-built sales) to our DTOs."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from integrations.base import PosBadResponse, PosCustomer
from integrations.lightspeed_x.adapter import customer_from_json, product_codes, sale_from_json
from integrations.lightspeed_x.payments import register_sale_preview

FIXTURES = Path(__file__).parent / "fixtures"
BRAVO = "b8ca3a65-0183-11e4-fbb5-7988a6ed80f8"
OTHER = "188a87aa-06fe-11e4-a0f5-b8ca3a64f8f4"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def bravo() -> dict:
    return load("product_bravo.json")["data"]


def test_a_closed_sale_becomes_a_completed_pos_sale_with_points_before_discount():
    customer = customer_from_json(load("customer_stark.json")["data"])
    sale = sale_from_json(
        load("sale_closed.json")["data"],
        products={BRAVO: bravo(), OTHER: None},
        customer=customer,
        account_id="pawsome",
    )
    assert sale.sale_id == "0698ab21-5fd8-11f1-f954-5ec02d6bd851"
    assert sale.display_number == "1692"  # the invoice number the cashier sees, not the UUID
    assert sale.completed and not sale.is_voided and not sale.is_refund
    assert sale.shop_id == "0ac54c19-8cd8-11ed-f575-b396fb0c257c"
    assert sale.employee_id == "06326976-9d65-11ed-fa40-06af15b3193d"
    # (44.99 + 5 discount) × 2 + 14.99: before tax and before discounts (seed 002).
    assert sale.subtotal == Decimal("114.97")
    assert sale.discount == Decimal("10")
    assert sale.total == Decimal("113.3676")
    first, second = sale.lines
    assert (first.codes, first.quantity, first.unit_price) == (
        ("787878", "123456"),
        2,
        Decimal("44.99"),
    )
    assert first.description == "Bravo / Black / Cotton / Cotton" and not first.is_misc
    # A product deleted since the sale: an Unknown Item with no codes, never a crash.
    assert second.is_misc and second.codes == ()
    assert sale.customer.phone == "+001 485 23456789"  # mobile before phone (SPEC §4.3)


def test_the_documented_api_20_return_is_a_refund_of_negative_lines():
    sale = sale_from_json(
        load("sale_return_api20.json")["data"], products={OTHER: None}, customer=None
    )
    assert sale.is_refund and not sale.completed  # parked: the return is not finished yet
    assert [line.quantity for line in sale.lines] == [-1, -1]
    assert [line.unit_price for line in sale.lines] == [Decimal("200"), Decimal("0")]
    assert sale.subtotal == Decimal("-200")
    assert sale.total == Decimal("-230")  # total_price + total_tax without `totals`
    assert sale.shop_id == "b1e04bd8-f019-11e3-a0f5-b8ca3a64f8f4"  # the 2.0 outlet_id


def test_lines_sold_by_weight_gift_cards_and_deleted_products_do_not_punch():
    sale = sale_from_json(
        load("sale_odd_lines.json")["data"],
        products={BRAVO: bravo(), OTHER: {"id": OTHER, "name": "Gift card", "sku": "GC"}},
        customer=None,
    )
    weighed, gift, deleted, as_strings = sale.lines
    assert weighed.is_misc and weighed.quantity == 1
    assert gift.is_fee
    assert deleted.is_misc and deleted.description == "Bag of bully sticks"
    assert not as_strings.is_misc and as_strings.unit_price == Decimal("15.00000")
    # A layby that is still pending: the goods stay in the store, so nothing punches yet.
    assert all(line.is_deferred for line in sale.lines)
    assert sale.customer is None and not sale.completed


def test_a_voided_or_deleted_sale_is_voided():
    data = load("sale_closed.json")["data"]
    voided = data | {"state": "voided"}
    deleted = data | {"deleted_at": "2026-06-03T10:00:00+00:00"}
    for sale in (voided, deleted):
        assert sale_from_json(sale, products={}, customer=None).is_voided


def test_a_legacy_status_alone_maps_to_the_state():
    data = {k: v for k, v in load("sale_closed.json")["data"].items() if k != "state"}
    assert sale_from_json(data | {"status": "LAYBY_CLOSED"}, products={}, customer=None).completed
    assert not sale_from_json(data | {"status": "ONACCOUNT"}, products={}, customer=None).completed
    assert sale_from_json(data | {"status": "VOIDED"}, products={}, customer=None).is_voided


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(line_items={"id": "x"}), "not a list"),
        (lambda s: s["line_items"][0].update(quantity=True), "bool"),
        (lambda s: s["line_items"][0]["pricing"].update(price="NaN"), "not a number"),
        (lambda s: s["line_items"][0].update(id="line-1"), "not an id"),
        (lambda s: s.pop("id"), "no id"),
        (lambda s: s.update(totals={"price": 1}), "price_incl_tax"),
    ],
)
def test_shapes_astro_cannot_read_are_refused_with_a_reason(change, message):
    data = copy.deepcopy(load("sale_closed.json")["data"])
    change(data)
    with pytest.raises(PosBadResponse, match=message):
        sale_from_json(data, products={BRAVO: bravo()}, customer=None)


def test_a_customer_with_null_names_has_empty_ones():
    customer = customer_from_json(load("customer_unnamed.json")["data"])
    assert customer == PosCustomer(pos_customer_id="06bf537b-c783-11e6-ff13-f21286299973")


def test_a_full_customer_keeps_the_physical_address():
    customer = customer_from_json(load("customer_stark.json")["data"])
    assert (customer.first_name, customer.last_name, customer.email) == (
        "Anthony",
        "Stark",
        "tony@stark.com",
    )
    assert (customer.address1, customer.city, customer.postal_code, customer.country) == (
        "Street 1",
        "Los Angeles",
        "23422",
        "NZ",
    )


def test_barcodes_come_before_the_sku_and_repeats_are_dropped():
    product = {
        "sku": "SKU-1",
        "supplier_code": "012345678905",
        "product_codes": [
            {"type": "custom", "code": "SHELF-9"},
            {"type": "UPC", "code": "012345678905"},
            {"type": "EAN", "code": ""},
        ],
    }
    assert product_codes(product) == ("012345678905", "SKU-1", "SHELF-9")
    with pytest.raises(PosBadResponse):
        product_codes({"product_codes": "012345678905"})


def test_the_documented_register_sale_gives_its_id_and_lines_for_display_only():
    raw = json.dumps(load("register_sale_data.json")["register_sale"])
    preview = register_sale_preview(raw)
    assert preview.sale_id == "5194354d-9080-8dda-11e6-9660dfac7dce"
    assert preview.customer_id == "0800278f-358c-11e6-fcf3-9005a1e4b2b9"
    assert preview.lines == (("T-shirt", "1"),)
    assert preview.total_to_pay == "24.30000"


@pytest.mark.parametrize("raw", ["", "not json", "[]", '{"id": "1234"}', '{"id": null}'])
def test_anything_else_posted_as_a_register_sale_is_refused(raw):
    with pytest.raises(PosBadResponse, match="did not send a sale"):
        register_sale_preview(raw)
