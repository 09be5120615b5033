"""Shared fixtures: two retailers, their admins and cashiers, logged-in clients."""

import pytest

from loyalty.tests import factories


@pytest.fixture
def retailer(db):
    return factories.RetailerFactory(name="Pawsome Pets")


@pytest.fixture
def other_retailer(db):
    return factories.RetailerFactory(name="Other Pet Shop")


@pytest.fixture
def location(retailer):
    return factories.LocationFactory(retailer=retailer)


@pytest.fixture
def admin_user(retailer):
    return factories.UserFactory(retailer=retailer, role="admin")


@pytest.fixture
def cashier_user(retailer, location):
    return factories.UserFactory(retailer=retailer, role="cashier", home_location=location)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def cashier_client(client, cashier_user):
    client.force_login(cashier_user)
    return client
