"""Importing sale lines: matching codes, once per POS line, multi-purchase (SPEC §3, §4)."""

import pytest

from loyalty.errors import DomainError
from loyalty.models import Card, Purchase
from loyalty.services.sales import (
    import_sale_line,
    multi_purchase_cards,
    record_multi_purchase_reason,
    start_visit,
)
from loyalty.tests import factories


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer)


@pytest.fixture
def program_card(retailer):
    item = factories.ItemFactory(gtin="036000291452", size="25 lb")
    return factories.enrolled_card(retailer, items=[item])


def visit_for(owner, sale="1001"):
    return start_visit(
        retailer=owner.retailer, owner=owner, pos_system="lightspeed", pos_sale_id=sale
    )


def test_a_scanned_upc_punches_its_card(owner, program_card):
    line = import_sale_line(
        visit=visit_for(owner), pos_line_id="1", codes=["036000291452"], quantity=2
    )
    assert line.outcome == "punched"
    assert Purchase.objects.filter(card__owner=owner).count() == 2


def test_the_ean13_form_of_a_upc_matches_the_same_item(owner, program_card):
    line = import_sale_line(
        visit=visit_for(owner), pos_line_id="1", codes=["0036000291452"], quantity=1
    )
    assert line.outcome == "punched"


def test_a_code_with_a_bad_check_digit_is_an_unknown_item_that_says_why(owner, program_card):
    line = import_sale_line(
        visit=visit_for(owner), pos_line_id="1", codes=["036000291453"], quantity=1
    )
    assert line.outcome == "unknown"
    assert "check digit" in line.reason
    assert not Purchase.objects.exists()


def test_an_item_number_matches_case_insensitively(owner, retailer):
    program = factories.ProgramFactory(kind="buy_x_get_y", retailer=retailer, manufacturer=None)
    wash = factories.ItemFactory(retailer=retailer, gtin="", item_number="WASH-FULL")
    factories.ProgramCardFactory(program=program, purchases_required=8, items=[wash])
    line = import_sale_line(
        visit=visit_for(owner), pos_line_id="1", codes=["wash-full"], quantity=1
    )
    assert line.outcome == "punched"


def test_an_item_of_a_program_the_store_is_not_in_is_unknown_with_the_reason(owner):
    item = factories.ItemFactory()
    factories.ProgramCardFactory(program__name="Orijen Cat", items=[item])
    line = import_sale_line(visit=visit_for(owner), pos_line_id="1", codes=[item.upc], quantity=1)
    assert line.outcome == "unknown"
    assert "not enrolled in Orijen Cat" in line.reason


def test_a_second_click_on_the_same_sale_does_not_punch_again(owner, program_card):
    import_sale_line(visit=visit_for(owner), pos_line_id="7", codes=["036000291452"], quantity=1)
    again = import_sale_line(
        visit=visit_for(owner), pos_line_id="7", codes=["036000291452"], quantity=1
    )
    assert again.outcome == "possible_existing"
    assert again.first_import is not None
    assert Purchase.objects.count() == 1


def test_a_grown_sale_imported_again_repeats_the_old_lines_and_punches_the_new(owner, program_card):
    """The INSERT skips the old line and is taken back whole: no stray row is left behind."""
    from loyalty.models import VisitLine
    from loyalty.services.sales import SaleLine, import_sale

    first = [SaleLine("1", ["036000291452"], 1)]
    import_sale(visit=visit_for(owner), lines=first)
    grown = [*first, SaleLine("2", ["036000291452"], 1)]
    again = import_sale(visit=visit_for(owner), lines=grown)
    assert [line.outcome for line in again] == ["possible_existing", "punched"]
    assert [line.pos_line_id for line in again] == ["1", "2"]
    assert VisitLine.objects.count() == 3
    assert Purchase.objects.count() == 2


def test_the_same_line_id_in_another_sale_is_a_new_line(owner, program_card):
    import_sale_line(
        visit=visit_for(owner, "1"), pos_line_id="7", codes=["036000291452"], quantity=1
    )
    other = import_sale_line(
        visit=visit_for(owner, "2"), pos_line_id="7", codes=["036000291452"], quantity=1
    )
    assert other.outcome == "punched"
    assert Purchase.objects.count() == 2


def test_a_negative_quantity_waits_for_the_cashier_to_confirm_the_return(owner, program_card):
    import_sale_line(visit=visit_for(owner), pos_line_id="1", codes=["036000291452"], quantity=2)
    line = import_sale_line(
        visit=visit_for(owner, "2"), pos_line_id="1", codes=["036000291452"], quantity=-1
    )
    assert line.outcome == "return_pending"
    assert Purchase.objects.filter(state="active").count() == 2


def test_quantity_zero_punches_nothing(owner, program_card):
    line = import_sale_line(
        visit=visit_for(owner), pos_line_id="1", codes=["036000291452"], quantity=0
    )
    assert line.outcome == "unknown"
    assert not Purchase.objects.exists()


def test_more_than_one_punch_on_a_card_in_one_visit_needs_a_reason(owner, program_card):
    visit = visit_for(owner)
    import_sale_line(visit=visit, pos_line_id="1", codes=["036000291452"], quantity=1)
    assert multi_purchase_cards(visit) == []
    import_sale_line(visit=visit, pos_line_id="2", codes=["036000291452"], quantity=1)
    [card] = multi_purchase_cards(visit)
    assert card == Card.objects.get(owner=owner)
    with pytest.raises(DomainError):
        record_multi_purchase_reason(visit=visit, card=card, reason="other", note="")
    assert record_multi_purchase_reason(visit=visit, card=card, reason="multiple_pets") == 2
    assert set(Purchase.objects.values_list("multi_purchase_reason", flat=True)) == {
        "multiple_pets"
    }


def test_a_visit_for_another_retailers_owner_is_refused(owner, other_retailer):
    with pytest.raises(DomainError):
        start_visit(retailer=other_retailer, owner=owner)


def test_a_whole_sale_is_imported_with_each_line_marked(owner, program_card, retailer):
    from loyalty.services.sales import SaleLine, import_sale

    lines = [
        SaleLine("1", ["036000291452"], 2),
        SaleLine("2", ["012345678905"], 1, description="Kong toy"),
        SaleLine("3", ["036000291452"], -1),
    ]
    outcomes = [line.outcome for line in import_sale(visit=visit_for(owner), lines=lines)]
    assert outcomes == ["punched", "unknown", "return_pending"]
    assert Purchase.objects.filter(card__owner=owner, state="active").count() == 2


@pytest.mark.parametrize("lines", [1, 10, 50])
def test_a_sale_imports_in_the_same_queries_for_one_line_or_fifty(
    owner, program_card, django_assert_num_queries, lines
):
    """SPEC §9: the items and the cards they qualify for (with the enrollments and the cards'
    programs) are read once, the owner is locked and the open cards are read once, and the
    lines, the new cards and the punches each go in one INSERT. 100 punches on a 12-punch
    card complete 8."""
    from loyalty.services.sales import SaleLine, import_sale

    visit = visit_for(owner)
    sale = [SaleLine(str(n), ["036000291452"], 1, description="Food") for n in range(lines)]
    with django_assert_num_queries(7):
        imported = import_sale(visit=visit, lines=sale)
    assert [line.outcome for line in imported] == ["punched"] * lines
    assert Purchase.objects.filter(card__owner=owner, state="active").count() == lines
    cards = [(card.status, card.purchases.count()) for card in Card.objects.filter(owner=owner)]
    complete, left = divmod(lines, 12)
    assert cards == [("complete", 12)] * complete + [("open", left)]
