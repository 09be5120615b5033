"""The product filter's AND/OR semantics: read left to right, any product of the sale counts."""

import pytest

from integrations.api_v1.product_filter import Condition, describe, line_passes, sale_passes

ACANA = {"brand": "Acana", "category": "Dog Food", "upc": "064992525118"}
ORIJEN_TREAT = {"brand": "Orijen", "category": "Treats", "upc": ""}


def brand(value, join="", operator="equal"):
    return Condition(join, "brand", operator, value)


def test_an_empty_filter_links_every_sale():
    assert sale_passes([], [ORIJEN_TREAT])
    assert describe([]) == "Every customer is linked to Astro, whatever they buy."


def test_equal_and_not_equal_ignore_case():
    assert line_passes([brand("acana")], ACANA)
    assert not line_passes([brand("acana", operator="not_equal")], ACANA)


def test_or_matches_either_brand():
    conditions = [brand("Acana"), brand("Orijen", join="or")]
    assert line_passes(conditions, ACANA) and line_passes(conditions, ORIJEN_TREAT)
    assert not line_passes(conditions, {"brand": "Fromm"})


def test_and_needs_both():
    conditions = [brand("Orijen"), Condition("and", "category", "not_equal", "Treats")]
    assert not line_passes(conditions, ORIJEN_TREAT)
    assert line_passes(conditions, {"brand": "Orijen", "category": "Dog Food"})


@pytest.mark.parametrize(
    "line,expected",
    [
        (ACANA, False),  # (Acana OR Orijen) AND Treats: Acana dog food is not a treat
        (ORIJEN_TREAT, True),
        ({"brand": "Acana", "category": "Treats"}, True),
    ],
)
def test_conditions_are_read_left_to_right(line, expected):
    conditions = [
        brand("Acana"),
        brand("Orijen", join="or"),
        Condition("and", "category", "equal", "Treats"),
    ]
    assert line_passes(conditions, line) is expected


def test_a_upc_condition_matches_upc_a_and_ean_13_alike():
    conditions = [Condition("", "upc", "equal", "0064992525118")]
    assert line_passes(conditions, ACANA)
    assert line_passes(conditions, {"ean": "0064992525118"})


def test_a_sale_passes_if_any_of_its_products_does():
    assert sale_passes([brand("Orijen")], [ACANA, ORIJEN_TREAT])
    assert not sale_passes([brand("Fromm")], [ACANA, ORIJEN_TREAT])


def test_the_pos_reads_its_own_locations_filter(api, location, other_api):
    from integrations.api_v1.models import ProductFilterCondition

    ProductFilterCondition.objects.create(
        location=location, position=0, field="brand", operator="equal", value="Acana"
    )
    body = api.get("/api/v1/product-filter/").json()
    assert body["conditions"] == [
        {"join": "", "field": "brand", "operator": "equal", "value": "Acana"}
    ]
    assert body["sentence"].endswith("whose brand is Acana.")
    assert other_api.get("/api/v1/product-filter/").json()["conditions"] == []
