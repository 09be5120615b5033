"""The quick check of a sale's lines gives what DRF itself gives, value for value and error for
error, on rows built from awkward values (integrations/api_v1/fast_rows.py)."""

import itertools
import random
from decimal import Decimal

import pytest
from rest_framework import serializers

from integrations.api_v1.fast_rows import FastRowList
from integrations.api_v1.serializers import SaleLineSerializer

TEXTS = ["", " ", "  padded  ", "A-1", "x" * 20, "x" * 21, "é🐶", "a\x00b", "\ud800", 12, None]
QUANTITIES = [1, -1, 0, 1000, 1001, -1001, "3", 2.0, True, None, "x"]
PRICES = ["1.25", "0", "0.001", "-1", "1000000", "1000000.01", 3, 2.5, " 4.50 ", "1e2", "abc",
          None, "12345678.9", "00.10", "1.", ".5"]  # fmt: skip
FIELDS = {"upc": TEXTS, "description": TEXTS, "quantity": QUANTITIES, "unit_price": PRICES}


def drf_says(rows):
    plain = serializers.ListSerializer(child=SaleLineSerializer(), data=rows)
    return plain.is_valid(), plain.validated_data if plain._errors == [] else plain.errors


def fast_says(rows):
    quick = SaleLineSerializer(many=True, data=rows)
    assert isinstance(quick, FastRowList)
    return quick.is_valid(), quick.validated_data if quick._errors == [] else quick.errors


def a_row(rng, line_id):
    row = {"line_id": line_id}
    for name, values in FIELDS.items():
        if rng.random() < 0.9:  # now and then a field is left out
            row[name] = rng.choice(values)
    return row


def test_each_awkward_value_alone_gives_drfs_answer():
    for name, values in FIELDS.items():
        for value in values:
            row = {"line_id": "1", "quantity": 2, "unit_price": "1.00", name: value}
            assert fast_says([row]) == drf_says([row]), (name, value)


@pytest.mark.parametrize("seed", range(40))
def test_random_sales_give_drfs_answer(seed):
    rng = random.Random(seed)
    rows = [a_row(rng, str(n)) for n in range(rng.randint(1, 6))]
    assert fast_says(rows) == drf_says(rows)


def test_a_plain_sale_is_checked_quickly_with_drfs_values():
    rows = [
        {"line_id": str(n), "upc": f"0000{n}", "quantity": q, "unit_price": p}
        for n, (q, p) in enumerate(itertools.product([1, -2], ["1.5", 3]))
    ]
    quick = SaleLineSerializer(many=True)
    assert quick._fast(rows) == drf_says(rows)[1]  # no fall back to DRF for an ordinary sale
    assert quick._fast(rows)[0]["unit_price"] == Decimal("1.50")
    assert quick._fast(rows)[0]["item_number"] == ""  # the default, as DRF fills it in


def test_what_is_not_a_list_of_rows_gives_drfs_answer():
    for body in ([], {"line_id": "1"}, "lines", [None], [["1"]], [{}]):
        assert fast_says(body) == drf_says(body), body
