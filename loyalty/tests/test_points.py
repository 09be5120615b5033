"""Loyalty points: earned on sales, taken back on returns, adjusted by hand (SPEC §2, §3)."""

from decimal import Decimal

import pytest
from django.db import connection

from loyalty.errors import InvalidAdjustment
from loyalty.models import AuditEvent, PointsEntry, Visit
from loyalty.services.points import (
    adjust_points,
    award_sale_points,
    less_earned_statement,
    points_balance,
    take_back_points,
)
from loyalty.tests import factories
from loyalty.tests.plans import generic_plan


@pytest.fixture
def owner(retailer):
    return factories.PetOwnerFactory(retailer=retailer)


def test_points_are_whole_dollars_of_the_subtotal_before_tax(owner):
    award_sale_points(owner=owner, subtotal=Decimal("54.99"), total=Decimal("59.39"))
    assert points_balance(owner) == 54


def test_a_retailer_can_count_points_on_the_total(owner, retailer):
    retailer.points_basis = "total"
    retailer.save()
    award_sale_points(owner=owner, subtotal=Decimal("54.99"), total=Decimal("59.39"))
    assert points_balance(owner) == 59


def test_a_return_takes_points_back_but_never_below_zero(owner):
    award_sale_points(owner=owner, subtotal=Decimal("30.00"), total=Decimal("32.00"))
    take_back_points(owner=owner, returned_amount=Decimal("-10.50"))
    assert points_balance(owner) == 20
    take_back_points(owner=owner, returned_amount=Decimal("-100"))
    assert points_balance(owner) == 0


def test_a_manual_adjustment_is_audited(owner, admin_user):
    adjust_points(owner=owner, delta=25, actor=admin_user, note="Birthday bonus")
    assert points_balance(owner) == 25
    event = AuditEvent.objects.get(action="points.adjusted")
    assert event.actor == admin_user
    assert event.data["delta"] == 25


def test_a_deduction_larger_than_the_balance_is_refused_and_changes_nothing(owner, admin_user):
    adjust_points(owner=owner, delta=10, actor=admin_user)
    with pytest.raises(InvalidAdjustment, match="balance is only 10"):
        adjust_points(owner=owner, delta=-11, actor=admin_user)
    assert points_balance(owner) == 10
    assert AuditEvent.objects.filter(action="points.adjusted").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan (CI runs this)")
def test_on_postgresql_a_sale_finds_its_earlier_points_by_the_store_s_sale_index(owner, retailer):
    # A sale's points subtract what earlier visits of the same POS sale earned. Over many
    # visits, the statement's plan (generic once prepared, as the API sale runs it) reads
    # that sale's visits by the sale index, not every visit of every store.
    location = factories.LocationFactory(retailer=retailer)
    template = factories.VisitFactory.build(retailer=retailer, location=location, owner=owner)
    Visit.objects.bulk_create(
        Visit(
            retailer=retailer,
            location=location,
            owner=owner,
            pos_system=template.pos_system,
            pos_sale_id=f"BENCH-{n}",
        )
        for n in range(5_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE loyalty_visit")
    visit = Visit.objects.filter(retailer=retailer).first()
    entry = PointsEntry(retailer=retailer, owner=owner, kind="earned", points=10, visit=visit)
    plan = generic_plan(*less_earned_statement(entry, visit))
    assert "Seq Scan on loyalty_visit" not in plan, plan
    assert "loyalty_vis_retaile_20c21d_idx" in plan, plan
