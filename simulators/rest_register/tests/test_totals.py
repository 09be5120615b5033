"""The customer pays the full tax on a free or discounted item (seed 003); discounts never make
a sale pay less than its tax."""

from decimal import Decimal as D

from simulators.rest_register.totals import money, sale_totals


def test_a_free_item_is_taxed_at_its_full_price_and_is_not_a_purchase():
    totals = sale_totals(
        lines=[(D("64.99"), True), (D("14.99"), False)],
        discounts=[D("64.99")],
        tax_rate=D("0.0825"),
    )
    assert (totals.subtotal, totals.tax, totals.discounts) == (D("79.98"), D("6.60"), D("64.99"))
    assert totals.total == D("21.59")
    assert totals.purchases == D("14.99")


def test_discounts_beyond_the_subtotal_leave_the_tax_to_pay():
    totals = sale_totals(lines=[(D("3.00"), False)], discounts=[D("5.00")], tax_rate=D("0.1"))
    assert (totals.discounts, totals.total) == (D("3.00"), D("0.30"))


def test_money_reads_like_a_register():
    assert (money(D("1234.5")), money(D("-5")), money(None)) == ("$1,234.50", "-$5.00", "$0.00")
