"""Cash Back at checkout (SPEC §2): purchases added by hand accrue a percentage; after N
purchases the cashier redeems the accrued amount and applies it as a discount in the POS."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from loyalty.errors import DomainError
from loyalty.models import AuditEvent, CashBackEntry, CashBackPlan, DistributorReport
from loyalty.services import cash_back
from loyalty.services.prepaid import AlreadyRecorded
from loyalty.services.sales import start_visit
from loyalty.tests import factories
from loyalty.tests.races import race

HX = {"HTTP_HX_REQUEST": "true"}


def make_plan(retailer, *, name="Bakery Cash Back", percent="10", required=3, basis="subtotal"):
    program = factories.ProgramFactory(
        kind="cash_back", retailer=retailer, manufacturer=None, name=name
    )
    return CashBackPlan.objects.create(
        program=program, percent=Decimal(percent), basis=basis, purchases_required=required
    )


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer, first_name="Ann", last_name="Lee")


@pytest.fixture
def plan(retailer):
    return make_plan(retailer)


@pytest.fixture
def visit(retailer, location, owner, cashier_user):
    return start_visit(
        retailer=retailer,
        owner=owner,
        location=location,
        cashier=cashier_user,
        subtotal=Decimal("54.99"),
        total=Decimal("59.39"),
    )


def accrue(visit, plan, amount, seen, cashier=None):
    return cash_back.add_purchase(
        visit=visit, plan=plan, amount=Decimal(amount), entries_seen=seen, cashier=cashier
    )


def redeem(visit, plan, seen, cashier=None):
    return cash_back.redeem(visit=visit, plan=plan, entries_seen=seen, cashier=cashier)


def accrued(owner, plan):
    return sum(
        CashBackEntry.objects.filter(owner=owner, plan=plan).values_list("amount", flat=True)
    )


def panel(client, visit):
    return client.get(reverse("custom_checkout_panel", args=[visit.pk]), **HX)


def add_url(visit, plan):
    return reverse("custom_checkout_add_cash_back", args=[visit.pk, plan.pk])


def redeem_url(visit, plan):
    return reverse("custom_checkout_redeem_cash_back", args=[visit.pk, plan.pk])


# --- Services --------------------------------------------------------------------------------


def test_a_purchase_accrues_the_percentage_rounded_to_cents(visit, plan, cashier_user):
    entry = accrue(visit, plan, "54.99", 0, cashier_user)
    assert entry.amount == Decimal("5.50") and entry.purchase_amount == Decimal("54.99")
    assert entry.visit == visit and entry.created_by == cashier_user
    assert AuditEvent.objects.get(action="cash_back.accrued").data["cash_back"] == "5.50"


def test_redeeming_takes_all_that_accrued_and_no_more(visit, plan, cashier_user):
    for seen, amount in enumerate(["20.00", "30.00", "15.50"]):
        accrue(visit, plan, amount, seen)
    entry = redeem(visit, plan, 3, cashier_user)
    assert entry.amount == Decimal("-6.55") and entry.visit == visit
    assert accrued(visit.owner, plan) == 0
    assert AuditEvent.objects.get(action="cash_back.redeemed").data["discount"] == "6.55"
    with pytest.raises(DomainError, match="no cash back to redeem"):
        redeem(visit, plan, 4)
    assert CashBackEntry.objects.filter(amount__lt=0).count() == 1


def test_redeeming_before_the_required_purchases_is_refused(visit, plan):
    accrue(visit, plan, "100.00", 0)
    accrue(visit, plan, "100.00", 1)
    with pytest.raises(DomainError, match="after 3 purchases; 1 more to go"):
        redeem(visit, plan, 2)
    assert accrued(visit.owner, plan) == Decimal("20.00")


def test_after_a_redemption_the_purchases_count_again_from_zero(visit, retailer):
    plan = make_plan(retailer, required=2)
    accrue(visit, plan, "10.00", 0)
    accrue(visit, plan, "10.00", 1)
    redeem(visit, plan, 2)
    accrue(visit, plan, "10.00", 3)
    with pytest.raises(DomainError, match="1 more to go"):
        redeem(visit, plan, 4)


def test_a_replayed_purchase_or_redemption_counts_once(visit, retailer):
    plan = make_plan(retailer, required=1)
    accrue(visit, plan, "40.00", 0)
    with pytest.raises(AlreadyRecorded):
        accrue(visit, plan, "40.00", 0)
    redeem(visit, plan, 1)
    with pytest.raises(AlreadyRecorded):
        redeem(visit, plan, 1)
    assert list(CashBackEntry.objects.values_list("amount", flat=True).order_by("id")) == [
        Decimal("4.00"),
        Decimal("-4.00"),
    ]


@pytest.mark.parametrize("amount", ["0", "-5.00", "0.04", "12.345", "100000.01"])
def test_amounts_that_earn_nothing_or_are_not_money_are_refused(visit, plan, amount):
    with pytest.raises(DomainError):
        accrue(visit, plan, amount, 0)
    assert not CashBackEntry.objects.exists()


def test_cash_back_is_never_reported_to_a_distributor(visit, retailer):
    # Even with a distributor listing the program, a custom program is never reported (SPEC §2).
    plan = make_plan(retailer, required=1)
    factories.DistributorFactory().programs.add(plan.program)
    accrue(visit, plan, "50.00", 0)
    redeem(visit, plan, 1)
    assert CashBackEntry.objects.filter(amount__lt=0).exists()
    assert not DistributorReport.objects.exists()


# --- Through the checkout screen -------------------------------------------------------------


def test_the_amount_is_not_prefilled_with_the_whole_sale_but_named_as_a_hint(
    cashier_client, visit, retailer
):
    make_plan(retailer, name="A Subtotal plan")
    make_plan(retailer, name="B Total plan", basis="total")
    page = panel(cashier_client, visit).content.decode()
    # Only part of a sale may qualify: the cashier types it, told what the whole sale was.
    assert 'value="54.99"' not in page and 'value="59.39"' not in page
    assert page.index("the whole sale was $54.99") < page.index("the whole sale was $59.39")


def test_a_cashier_adds_purchases_and_redeems_at_checkout(cashier_client, visit, retailer):
    plan = make_plan(retailer, required=2)
    response = cashier_client.post(
        add_url(visit, plan), {"amount": "54.99", "entries_seen": "0"}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="custom-checkout"' in body
    assert "Added a $54.99 purchase: $5.50 cash back." in body
    assert "1 more purchase to redeem" in body and "Redeem $" not in body
    # The visit's amount was added once: the field is not prefilled again.
    assert 'value="54.99"' not in body

    cashier_client.post(add_url(visit, plan), {"amount": "$20.00", "entries_seen": "1"}, **HX)
    body = panel(cashier_client, visit).content.decode()
    assert '<strong class="accrued">$7.50</strong>' in body and "Redeem $7.50" in body

    response = cashier_client.post(redeem_url(visit, plan), {"entries_seen": "2"}, **HX)
    body = response.content.decode()
    assert "Redeemed $7.50 cash back." in body
    assert "Apply a <strong>$7.50</strong> discount in the POS" in body
    assert '<strong class="accrued">$0.00</strong>' in body
    # The discount to apply stays on the panel for this visit, also after a reload.
    assert (
        "Apply a <strong>$7.50</strong> discount in the POS"
        in panel(cashier_client, visit).content.decode()
    )


def test_a_double_click_on_redeem_redeems_once(cashier_client, visit, retailer):
    plan = make_plan(retailer, required=1)
    accrue(visit, plan, "80.00", 0)
    first = cashier_client.post(redeem_url(visit, plan), {"entries_seen": "1"}, **HX)
    second = cashier_client.post(redeem_url(visit, plan), {"entries_seen": "1"}, **HX)
    assert first.status_code == second.status_code == 200
    assert "Nothing changed: this cash back changed" in second.content.decode()
    assert CashBackEntry.objects.filter(amount__lt=0).count() == 1


def test_a_bad_amount_says_why_keeps_the_entry_and_adds_nothing(cashier_client, visit, plan):
    response = cashier_client.post(
        add_url(visit, plan), {"amount": "5x.99", "entries_seen": "0"}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter the purchase amount in dollars, e.g. 54.99." in body
    assert 'value="5x.99"' in body
    assert not CashBackEntry.objects.exists()


@pytest.mark.parametrize("typed", ["", "abc", "1e3", "12.345", "-5", "NaN"])
def test_what_is_not_dollars_is_refused_through_the_screen(cashier_client, visit, plan, typed):
    response = cashier_client.post(
        add_url(visit, plan), {"amount": typed, "entries_seen": "0"}, **HX
    )
    assert response.status_code == 422 and "Enter the purchase amount" in response.content.decode()
    assert not CashBackEntry.objects.exists()


def test_redeeming_too_early_through_the_screen_changes_nothing(cashier_client, visit, plan):
    accrue(visit, plan, "54.99", 0)
    response = cashier_client.post(redeem_url(visit, plan), {"entries_seen": "1"}, **HX)
    assert response.status_code == 422 and "2 more to go" in response.content.decode()
    assert accrued(visit.owner, plan) == Decimal("5.50")


def test_an_admin_can_use_the_panel_too(admin_client, visit, plan):
    response = admin_client.post(add_url(visit, plan), {"amount": "10", "entries_seen": "0"}, **HX)
    assert response.status_code == 200 and CashBackEntry.objects.count() == 1


def test_another_stores_plan_answers_404(cashier_client, visit, other_retailer):
    their_plan = make_plan(other_retailer, required=1)
    response = cashier_client.post(
        add_url(visit, their_plan), {"amount": "10", "entries_seen": "0"}
    )
    assert response.status_code == 404
    assert (
        cashier_client.post(redeem_url(visit, their_plan), {"entries_seen": "0"}).status_code == 404
    )
    assert not CashBackEntry.objects.exists()


def test_another_stores_visit_answers_404(cashier_client, plan, other_retailer):
    their_visit = start_visit(
        retailer=other_retailer, owner=factories.PetOwnerFactory(retailer=other_retailer)
    )
    response = cashier_client.post(
        add_url(their_visit, plan), {"amount": "10", "entries_seen": "0"}
    )
    assert response.status_code == 404
    assert panel(cashier_client, their_visit).status_code == 404


def test_an_ended_program_keeps_its_balance_redeemable_but_takes_no_purchases(
    cashier_client, visit, retailer
):
    plan = make_plan(retailer, required=1)
    accrue(visit, plan, "30.00", 0)
    plan.program.is_active = False
    plan.program.save()
    body = panel(cashier_client, visit).content.decode()
    assert "Redeem $3.00" in body and "Add to cash back" not in body
    with pytest.raises(DomainError, match="has ended"):
        accrue(visit, plan, "30.00", 1)


def test_the_owner_page_shows_the_cash_back_accrued(cashier_client, visit, plan):
    accrue(visit, plan, "54.99", 0)
    url = reverse("custom_checkout_balances", args=[visit.owner.pk])
    body = cashier_client.get(url, **HX).content.decode()
    assert "Bakery Cash Back" in body and '<strong class="accrued">$5.50</strong>' in body
    assert "1 of 3" in body


@pytest.mark.parametrize("count", [1, 20])
def test_the_panel_query_count_does_not_grow_with_entries(
    cashier_client, visit, retailer, django_assert_num_queries, count
):
    for n in range(count):
        plan = make_plan(retailer, name=f"Plan {n:02d}", required=1)
        accrue(visit, plan, "10.00", 0)
        accrue(visit, plan, "10.00", 1)
    # Session, the user with the store, visit; offers, cash back plans, cash back standings,
    # packages.
    with django_assert_num_queries(7):
        assert panel(cashier_client, visit).content.decode().count("Redeem $2.00") == count
    url = reverse("custom_checkout_balances", args=[visit.owner.pk])
    # Session, the user with the store, owner; standings, their plans, packages.
    with django_assert_num_queries(6):
        assert cashier_client.get(url, **HX).content.decode().count("$2.00") == count


# --- Races for real on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_cashiers_redeeming_together_redeem_once():
    retailer = factories.RetailerFactory()
    visit = start_visit(retailer=retailer, owner=factories.PetOwnerFactory(retailer=retailer))
    plan = make_plan(retailer, required=1)
    accrue(visit, plan, "60.00", 0)
    results = race(lambda i: redeem(visit, plan, 1))
    assert sum(isinstance(result, CashBackEntry) for result in results) == 1
    assert sum(isinstance(result, AlreadyRecorded) for result in results) == 3
    assert accrued(visit.owner, plan) == 0
