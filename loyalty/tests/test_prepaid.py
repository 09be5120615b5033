"""Pre-Paid Membership at checkout (SPEC §2): selling a package and drawing visits down, as a
cashier does it on the checkout screen, and the balance on the owner's page."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse

from loyalty.errors import DomainError
from loyalty.models import AuditEvent, DistributorReport, PrepaidPackage, PrepaidPlan, PrepaidUse
from loyalty.models.cards import VisitState
from loyalty.services import prepaid
from loyalty.services.prepaid import AlreadyRecorded
from loyalty.services.sales import start_visit
from loyalty.tests import factories
from loyalty.tests.races import race

HX = {"HTTP_HX_REQUEST": "true"}


def make_plan(retailer, *, name="Doggie Day Care", visits=6, bonus=1, active=True) -> PrepaidPlan:
    program = factories.ProgramFactory(
        kind="prepaid", retailer=retailer, manufacturer=None, name=name, is_active=active
    )
    return PrepaidPlan.objects.create(
        program=program,
        visits=visits,
        bonus_visits=bonus,
        price=Decimal("150.00"),
        visit_description="One day of day care",
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
        retailer=retailer, owner=owner, location=location, cashier=cashier_user, pos_sale_id="9"
    )


def panel(client, visit):
    return client.get(reverse("custom_checkout_panel", args=[visit.pk]), **HX)


def sell_url(visit, plan):
    return reverse("custom_checkout_sell_package", args=[visit.pk, plan.pk])


def use_url(visit, package):
    return reverse("custom_checkout_use_visit", args=[visit.pk, package.pk])


def sell(visit, plan, cashier, seen=0):
    return prepaid.sell_package(visit=visit, plan=plan, packages_seen=seen, cashier=cashier)


# --- Services --------------------------------------------------------------------------------


def test_selling_gives_visits_plus_bonus_visits_and_is_audited(visit, plan, cashier_user):
    package = sell(visit, plan, cashier_user)
    assert package.visits_total == 7 and package.visits_left == 7
    assert package.owner == visit.owner and package.sold_by == cashier_user
    event = AuditEvent.objects.get(action="prepaid.sold")
    assert event.actor == cashier_user and event.data["price"] == "150.00"


def test_each_use_draws_one_visit_and_keeps_a_row(visit, plan, cashier_user):
    package = sell(visit, plan, cashier_user)
    prepaid.use_visit(visit=visit, package=package, used_seen=0, cashier=cashier_user)
    prepaid.use_visit(visit=visit, package=package, used_seen=1, cashier=cashier_user)
    package.refresh_from_db()
    assert package.visits_left == 5
    assert PrepaidUse.objects.filter(package=package, visit=visit).count() == 2
    assert AuditEvent.objects.filter(action="prepaid.visit_used").count() == 2


def test_a_used_up_package_refuses_another_visit(visit, retailer, cashier_user):
    package = sell(visit, make_plan(retailer, visits=1, bonus=0), cashier_user)
    prepaid.use_visit(visit=visit, package=package, used_seen=0, cashier=cashier_user)
    with pytest.raises(DomainError, match="no visits left"):
        prepaid.use_visit(visit=visit, package=package, used_seen=1, cashier=cashier_user)
    package.refresh_from_db()
    assert package.visits_used == 1 and PrepaidUse.objects.count() == 1


def test_the_database_refuses_an_overdrawn_package_too(visit, plan, cashier_user):
    package = sell(visit, plan, cashier_user)
    with pytest.raises(IntegrityError):
        PrepaidPackage.objects.filter(pk=package.pk).update(visits_used=8)


def test_a_replayed_press_with_the_same_screen_draws_once(visit, plan, cashier_user):
    package = sell(visit, plan, cashier_user)
    prepaid.use_visit(visit=visit, package=package, used_seen=0, cashier=cashier_user)
    with pytest.raises(AlreadyRecorded):
        prepaid.use_visit(visit=visit, package=package, used_seen=0, cashier=cashier_user)
    package.refresh_from_db()
    assert package.visits_used == 1 and PrepaidUse.objects.count() == 1


def test_a_replayed_sale_sells_once(visit, plan, cashier_user):
    sell(visit, plan, cashier_user, seen=0)
    with pytest.raises(AlreadyRecorded):
        sell(visit, plan, cashier_user, seen=0)
    assert PrepaidPackage.objects.count() == 1
    sell(visit, plan, cashier_user, seen=1)  # a second package, on purpose
    assert PrepaidPackage.objects.count() == 2


def test_an_ended_program_is_not_sold(visit, retailer, cashier_user):
    with pytest.raises(DomainError, match="no longer offered"):
        sell(visit, make_plan(retailer, active=False), cashier_user)
    assert not PrepaidPackage.objects.exists()


def test_a_finished_visit_takes_nothing(visit, plan, cashier_user):
    package = sell(visit, plan, cashier_user)
    visit.state = VisitState.FINISHED
    visit.save()
    with pytest.raises(DomainError, match="finished"):
        prepaid.use_visit(visit=visit, package=package, used_seen=0, cashier=cashier_user)


def test_custom_redemptions_never_make_a_distributor_report(visit, plan, cashier_user):
    # Even with a distributor listing the program, a custom program is never reported (SPEC §2).
    factories.DistributorFactory().programs.add(plan.program)
    package = sell(visit, plan, cashier_user)
    prepaid.use_visit(visit=visit, package=package, used_seen=0, cashier=cashier_user)
    assert PrepaidUse.objects.count() == 1
    assert not DistributorReport.objects.exists()


# --- Through the checkout screen -------------------------------------------------------------


def test_a_cashier_sells_and_uses_a_visit_at_checkout(cashier_client, visit, plan):
    page = cashier_client.get(reverse("checkout", args=[visit.pk])).content.decode()
    assert f'hx-get="{reverse("custom_checkout_panel", args=[visit.pk])}"' in page
    page = panel(cashier_client, visit).content.decode()
    assert "Pre-Paid Membership" in page and "Sell package" in page
    assert "Doggie Day Care: 6 visits + 1 bonus for $150.00" in page

    response = cashier_client.post(sell_url(visit, plan), {"packages_seen": "0"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="custom-checkout"' in body
    assert 'id="checkout-body"' not in body  # only the panel's region comes back
    assert "Ring up $150.00 for it in the POS." in body
    package = PrepaidPackage.objects.get()
    assert '<strong class="visits-left">7</strong> of 7' in body

    response = cashier_client.post(use_url(visit, package), {"used_seen": "0"}, **HX)
    assert '<strong class="visits-left">6</strong> of 7' in response.content.decode()
    assert "One Doggie Day Care visit used: 6 left." in response.content.decode()


def test_a_double_click_draws_one_visit(cashier_client, visit, plan, cashier_user):
    package = sell(visit, plan, cashier_user)
    first = cashier_client.post(use_url(visit, package), {"used_seen": "0"}, **HX)
    second = cashier_client.post(use_url(visit, package), {"used_seen": "0"}, **HX)
    assert first.status_code == second.status_code == 200
    assert "Nothing changed: a visit was used" in second.content.decode()
    package.refresh_from_db()
    assert package.visits_used == 1


def test_a_used_up_package_says_so_and_changes_nothing(
    cashier_client, visit, retailer, cashier_user
):
    package = sell(visit, make_plan(retailer, visits=1, bonus=0), cashier_user)
    package.visits_used = 1
    package.save()
    response = cashier_client.post(use_url(visit, package), {"used_seen": "1"}, **HX)
    assert response.status_code == 422
    assert "This package has no visits left." in response.content.decode()
    assert PrepaidUse.objects.count() == 0


def test_a_press_without_the_screen_state_is_refused(cashier_client, visit, plan):
    response = cashier_client.post(sell_url(visit, plan), {}, **HX)
    assert response.status_code == 422 and "Reload the page" in response.content.decode()
    assert not PrepaidPackage.objects.exists()


def test_without_htmx_the_cashier_lands_back_on_checkout(cashier_client, visit, plan):
    response = cashier_client.post(sell_url(visit, plan), {"packages_seen": "0"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout", args=[visit.pk])
    assert "Ring up $150.00" in response.content.decode()


def test_another_stores_plan_and_package_answer_404(
    cashier_client, visit, other_retailer, cashier_user
):
    their_plan = make_plan(other_retailer)
    their_owner = factories.PetOwnerFactory(retailer=other_retailer)
    their_visit = start_visit(retailer=other_retailer, owner=their_owner)
    their_package = sell(their_visit, their_plan, None)
    assert (
        cashier_client.post(sell_url(visit, their_plan), {"packages_seen": "0"}).status_code == 404
    )
    response = cashier_client.post(use_url(visit, their_package), {"used_seen": "0"})
    assert response.status_code == 404
    their_package.refresh_from_db()
    assert their_package.visits_used == 0 and PrepaidPackage.objects.count() == 1


def test_another_owners_package_cannot_be_used_at_this_checkout(
    cashier_client, visit, plan, retailer
):
    neighbour = factories.PetOwnerFactory(retailer=retailer)
    their_visit = start_visit(retailer=retailer, owner=neighbour)
    package = sell(their_visit, plan, None)
    assert cashier_client.post(use_url(visit, package), {"used_seen": "0"}).status_code == 404


def test_a_package_of_an_ended_program_can_still_be_used(cashier_client, visit, plan, cashier_user):
    package = sell(visit, plan, cashier_user)
    plan.program.is_active = False
    plan.program.save()
    body = panel(cashier_client, visit).content.decode()
    assert "Use one visit" in body and "Sell package" not in body  # the owner paid for it
    assert cashier_client.post(use_url(visit, package), {"used_seen": "0"}, **HX).status_code == 200
    package.refresh_from_db()
    assert package.visits_used == 1


def test_a_finished_visit_shows_the_balance_without_actions(
    cashier_client, visit, plan, cashier_user
):
    sell(visit, plan, cashier_user)
    visit.state = VisitState.FINISHED
    visit.save()
    body = panel(cashier_client, visit).content.decode()
    assert "This visit is finished" in body and '<strong class="visits-left">7</strong>' in body
    assert "Use one visit" not in body and "Sell package" not in body


def test_the_owner_page_shows_the_visits_left(cashier_client, visit, plan, cashier_user):
    package = sell(visit, plan, cashier_user)
    prepaid.use_visit(visit=visit, package=package, used_seen=0, cashier=cashier_user)
    url = reverse("custom_checkout_balances", args=[visit.owner.pk])
    page = cashier_client.get(reverse("owner_detail", args=[visit.owner.pk])).content.decode()
    assert f'hx-get="{url}"' in page
    page = cashier_client.get(url, **HX).content.decode()
    assert "Pre-Paid Visits and Cash Back" in page
    assert '<strong class="visits-left">6</strong> of 7' in page


def test_a_store_without_custom_programs_sees_no_panel(cashier_client, visit, owner):
    page = panel(cashier_client, visit).content.decode()
    assert 'id="custom-checkout" hidden' in page and "Pre-Paid Membership" not in page
    url = reverse("custom_checkout_balances", args=[owner.pk])
    assert cashier_client.get(url, **HX).content.decode().strip() == ""


def test_another_stores_owner_balances_answer_404(cashier_client, other_retailer):
    their_owner = factories.PetOwnerFactory(retailer=other_retailer)
    url = reverse("custom_checkout_balances", args=[their_owner.pk])
    assert cashier_client.get(url, **HX).status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_the_panel_query_count_does_not_grow_with_packages(
    cashier_client, visit, retailer, cashier_user, django_assert_num_queries, count
):
    for n in range(count):
        package = sell(visit, make_plan(retailer, name=f"Plan {n}"), cashier_user)
        prepaid.use_visit(visit=visit, package=package, used_seen=0, cashier=cashier_user)
    # Session, the user with the store, visit; offers, cash back plans, cash back standings,
    # packages.
    with django_assert_num_queries(7):
        assert panel(cashier_client, visit).content.decode().count("Use one visit") == count
    url = sell_url(visit, PrepaidPlan.objects.first())
    # Session, the user with the store, visit, plan; the sale in a savepoint (lock, count,
    # insert, audit: 6); then the panel's 4.
    with django_assert_num_queries(14):
        response = cashier_client.post(url, {"packages_seen": "1"}, **HX)
    assert response.content.decode().count('class="visits-left"') == count + 1
    url = reverse("custom_checkout_balances", args=[visit.owner.pk])
    # Session, the user with the store, owner; standings, packages.
    with django_assert_num_queries(5):
        cashier_client.get(url, **HX)


# --- Races for real on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_cashiers_pressing_together_draw_one_visit():
    retailer = factories.RetailerFactory()
    owner = factories.PetOwnerFactory(retailer=retailer)
    visit = start_visit(retailer=retailer, owner=owner)
    package = sell(visit, make_plan(retailer), None)
    results = race(
        lambda i: prepaid.use_visit(visit=visit, package=package, used_seen=0, cashier=None)
    )
    assert sum(isinstance(result, PrepaidUse) for result in results) == 1
    assert sum(isinstance(result, AlreadyRecorded) for result in results) == 3
    package.refresh_from_db()
    assert package.visits_used == 1
