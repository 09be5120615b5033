"""The sale's item look-up, prepared on PostgreSQL, has one plan for every sale (SPEC §9)."""

import pytest
from django.db import connection

from loyalty.models import Brand, Item
from loyalty.rules.upc import gtin_key
from loyalty.selectors.matching import items_by_code_statement
from loyalty.tests import factories
from loyalty.tests.factories import make_upc
from loyalty.tests.plans import generic_plan


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan (CI runs this)")
def test_on_postgresql_the_item_look_up_s_plan_expects_a_sale_s_few_items(retailer):
    # A catalog of platform items, most with no item number (as the manufacturers' are). The
    # statement is prepared, and PostgreSQL keeps one generic plan for it only when that plan
    # costs no more than planning each sale anew: a plan counting on every item to match (an
    # empty item number matches them all) was never kept, so every sale was planned again.
    maker = factories.BrandFactory().manufacturer
    brands = Brand.objects.bulk_create(
        Brand(manufacturer=maker, name=f"B{n}") for n in range(2_000)
    )
    Item.objects.bulk_create(
        Item(brand=brands[n % 2_000], description=f"Item {n}", gtin=gtin_key(make_upc(n)) or "")
        for n in range(5_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE loyalty_item, loyalty_brand")
    codes = [gtin_key(make_upc(n)) for n in (3, 4_321)]
    statement = items_by_code_statement(retailer, codes, ["SKU-1", "SKU-2"])
    plan = generic_plan(*statement, as_json=True)
    assert plan[0]["Plan"]["Plan Rows"] < 100, plan  # of 5,000 items
    # And it finds them, and their brands, by index: the numbers' own index is mostly empty
    # keys, which made reading every item look cheaper (the partial index of given numbers,
    # 0022), and at PostgreSQL's default page cost hashing every brand looked cheaper than
    # reading a few (astro_site/env.py).
    text = generic_plan(*statement)
    assert "Seq Scan on loyalty_item" not in text, text
    assert "Seq Scan on loyalty_brand" not in text, text
