"""A retailer connected to a sandbox R-Series account served by the live server, and sales."""

from decimal import Decimal

import pytest
from django.conf import settings

from integrations.lightspeed.models import LightspeedConnection
from simulators.lightspeed.models import (
    SandboxAccount,
    SandboxCustomer,
    SandboxItem,
    SandboxSale,
    SandboxSaleLine,
    SandboxToken,
)


@pytest.fixture
def account(live_server, retailer):
    """A sandbox account the retailer is connected to, over real HTTP."""
    account = SandboxAccount.objects.create(
        account_id="100042",
        client_id=settings.LIGHTSPEED_CLIENT_ID,
        client_secret=settings.LIGHTSPEED_CLIENT_SECRET,
    )
    token = SandboxToken.issue(account)
    base = f"{live_server.url}/sandbox/lightspeed"
    LightspeedConnection.objects.create(
        retailer=retailer,
        account_id=account.account_id,
        api_base=base,
        auth_base=base,
        access_token=token.access_token,
        refresh_token=token.refresh_token,
    )
    return account


@pytest.fixture
def customer(account):
    return SandboxCustomer.objects.create(
        account=account,
        first_name="Maya",
        last_name="Lopez",
        email="maya@example.com",
        phone="(555) 222-3344",
    )


def make_sale(account, customer, lines=(("036000291452", 1),), price="54.99"):
    """A sandbox sale with (UPC, quantity) lines; a negative quantity is a refund line."""
    sale = SandboxSale.objects.create(account=account, customer=customer)
    for code, quantity in lines:
        item = SandboxItem.objects.get_or_create(
            account=account, upc=code, defaults={"description": f"Item {code}", "price": price}
        )[0]
        SandboxSaleLine.objects.create(
            sale=sale, item=item, unit_quantity=quantity, unit_price=Decimal(price)
        )
    return sale
