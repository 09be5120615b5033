"""Sales Astro waited for: Lightspeed's sale.update webhook (a hint, never data) and the sweep
record a closed sale once, as a paid one; voided, unlinked or never-saved sales record nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.lightspeed_x.models import WaitingSale
from integrations.lightspeed_x.tasks import confirm_waiting_sales_task
from integrations.lightspeed_x.waiting import confirm_waiting_sale, note_waiting_sale
from loyalty.models import Purchase, Visit
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories
from simulators.lightspeed_x.models import SaleState
from simulators.lightspeed_x.tests.factories import make_sale

from .conftest import FOOD_UPC

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("in_process_tasks")]


@pytest.fixture
def linked(retailer, customer):
    food = factories.ItemFactory(gtin=FOOD_UPC, description="Kibble 25 lb")
    factories.enrolled_card(retailer, required=3, items=[food])
    owner = factories.PetOwnerFactory(retailer=retailer)
    link_pos_customer(
        owner=owner,
        pos_system="lightspeed_x",
        pos_customer_id=str(customer.customer_id),
        actor=None,
    )
    return owner


@pytest.fixture
def unsaved(store, customer, food, location, cashier_user, connected):
    """A sale the register showed Astro before saving it: Astro is waiting for it."""
    sale = make_sale(store, [(food, 2)], customer=customer, saved=False)
    note_waiting_sale(location=location, sale_id=str(sale.sale_id), cashier=cashier_user)
    return sale


def punches(owner) -> int:
    return Purchase.objects.filter(card__owner=owner, state="active").count()


def webhook(client, connection, sale, **form):
    url = reverse("lightspeed_x_webhook", args=[connection.webhook_key])
    data = {"type": "sale.update", "payload": json.dumps({"id": str(sale.sale_id)}), **form}
    return client.post(url, data)


def minutes_later(minutes=6):
    """The sweep asks about a sale at most every five minutes after its last check."""
    WaitingSale.objects.update(checked_at=timezone.now() - timedelta(minutes=minutes))


def close(sale, state=SaleState.CLOSED):
    sale.saved, sale.state = True, state
    sale.save()


def test_the_webhook_of_a_paid_sale_records_it_once_as_finished(client, connected, unsaved, linked):
    close(unsaved)
    first = webhook(client, connected, unsaved)
    again = webhook(client, connected, unsaved)
    assert first.json() == {"ok": True, "queued": True}
    assert again.json() == {"ok": True, "queued": False}
    assert punches(linked) == 2
    visit = Visit.objects.get()
    assert visit.state == "finished" and visit.cashier is not None
    assert WaitingSale.objects.get().state == "recorded"


def test_a_sale_still_only_in_the_register_keeps_waiting(client, connected, unsaved, linked):
    assert webhook(client, connected, unsaved).json()["queued"]
    assert punches(linked) == 0 and WaitingSale.objects.get().state == "waiting"


def test_a_parked_sale_waits_until_it_is_paid(connected, unsaved, linked):
    close(unsaved, SaleState.PARKED)
    assert confirm_waiting_sale(WaitingSale.objects.get().pk) == "waiting"
    assert punches(linked) == 0


def test_a_sale_the_pos_voided_adds_no_punch(client, connected, unsaved, linked):
    close(unsaved, SaleState.VOIDED)
    webhook(client, connected, unsaved)
    assert punches(linked) == 0 and WaitingSale.objects.get().state == "voided"


def test_a_customer_never_linked_adds_nothing(client, connected, unsaved):
    close(unsaved)
    webhook(client, connected, unsaved)
    assert not Purchase.objects.exists() and WaitingSale.objects.get().state == "not_linked"


def test_a_sale_never_saved_for_a_day_is_given_up(connected, unsaved, linked):
    WaitingSale.objects.update(created_at=timezone.now() - timedelta(hours=25))
    minutes_later()
    close(unsaved)  # too late: Astro stopped waiting
    assert confirm_waiting_sales_task() == 1
    assert punches(linked) == 0 and WaitingSale.objects.get().state == "expired"


def test_the_sweep_records_what_the_webhook_missed(connected, unsaved, linked):
    close(unsaved)
    assert confirm_waiting_sales_task() == 0  # checked a moment ago: not yet
    minutes_later()
    assert confirm_waiting_sales_task() == 1
    assert punches(linked) == 2
    assert confirm_waiting_sales_task() == 0  # nothing left to ask about


def test_the_webhook_tells_a_stranger_nothing(client, connected, unsaved):
    url = reverse("lightspeed_x_webhook", args=["not-a-key"])
    assert client.post(url, {"payload": "{}"}).status_code == 404
    bad = webhook(client, connected, unsaved, payload="not json")
    assert bad.status_code == 400 and "payload" in bad.json()["error"]
    other = webhook(client, connected, unsaved, type="product.update")
    assert other.json() == {"ok": True, "queued": False}
