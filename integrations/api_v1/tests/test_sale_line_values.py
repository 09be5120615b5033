"""A sale's lines keep their values exactly through the one-INSERT write (on PostgreSQL one
array per column: quotes, commas, braces, backslashes and the word NULL are data)."""

from integrations.api_v1.tests.test_query_counts import owner, sale_of  # noqa: F401
from loyalty.models import VisitLine
from loyalty.tests import factories

ODD = ['a"b,c\\d{e}f', "NULL", "é ü 🐶 'x'", ""]


def test_a_sales_lines_keep_their_text_and_empty_values(api, owner):  # noqa: F811
    items = [factories.ItemFactory() for _ in range(3)]
    factories.enrolled_card(owner.retailer, required=3, items=items[:1])
    body = sale_of(items, "S-odd")
    unknown = {"line_id": "9", "upc": "000000000000", "quantity": 2, "unit_price": "1.25"}
    body["lines"].append(unknown)
    for line, description in zip(body["lines"], ODD, strict=True):
        line["description"] = description
    assert api.post("/api/v1/sales/", body).status_code == 201
    rows = VisitLine.objects.order_by("id").values_list("description", "item_id", "quantity")
    assert [row[0] for row in rows] == ODD
    assert [row[1] is None for row in rows] == [False, False, False, True]
    assert [row[2] for row in rows] == [1, 1, 1, 2]
