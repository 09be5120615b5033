"""Loyalty points: earned on sales, taken back on returns, adjusted by hand (SPEC §2, §3)."""

from decimal import Decimal

import pytest

from loyalty.errors import InvalidAdjustment
from loyalty.models import AuditEvent
from loyalty.services.points import (
    adjust_points,
    award_sale_points,
    points_balance,
    take_back_points,
)
from loyalty.tests import factories


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
