"""The sale.update webhook with a real Celery worker on Redis and PostgreSQL: the webhook only
queues; the worker fetches the sale from the sandbox over real HTTP and records it once."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from astro_site.celery import app
from integrations.lightspeed_x.models import WaitingSale
from integrations.lightspeed_x.waiting import note_waiting_sale
from loyalty.models import Purchase, Visit
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories
from loyalty.tests.test_report_delivery import Worker, wait_for
from simulators.lightspeed_x.tests.factories import make_sale

from .conftest import FOOD_UPC

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="a real worker needs PostgreSQL and Redis (CI runs this)",
    ),
]


@pytest.fixture
def worker(tmp_path, live_server):
    app.control.purge()
    worker = Worker(tmp_path)
    worker.start()
    yield worker
    worker.stop()


def test_two_webhooks_for_a_paid_sale_record_it_once_through_the_worker(
    worker, client, connected, store, customer, food, location, cashier_user, retailer
):
    factories.enrolled_card(retailer, required=3, items=[factories.ItemFactory(gtin=FOOD_UPC)])
    owner = factories.PetOwnerFactory(retailer=retailer)
    link_pos_customer(
        owner=owner,
        pos_system="lightspeed_x",
        pos_customer_id=str(customer.customer_id),
        actor=None,
    )
    sale = make_sale(store, [(food, 2)], customer=customer, saved=True, state="closed")
    note_waiting_sale(location=location, sale_id=str(sale.sale_id), cashier=cashier_user)
    url = reverse("lightspeed_x_webhook", args=[connected.webhook_key])
    body = {"type": "sale.update", "payload": json.dumps({"id": str(sale.sale_id)})}

    assert client.post(url, body).json()["queued"]
    assert client.post(url, body).json()["queued"]  # a retried delivery, before the worker ran
    wait_for(lambda: WaitingSale.objects.get().state == "recorded", timeout=30, what="recorded")

    assert Visit.objects.count() == 1
    assert Purchase.objects.filter(card__owner=owner, state="active").count() == 2
