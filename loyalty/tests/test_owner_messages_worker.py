"""Owner messages with a real Celery worker on Redis and PostgreSQL (SPEC §8): the task queued
after the sale's commit sends the message once, however many times it is delivered."""

import pytest
from django.conf import settings
from django.db import connection

from astro_site.celery import app
from loyalty.models import OwnerMessage
from loyalty.models.messages import MessageKind, MessageState
from loyalty.tasks import send_owner_messages_task
from loyalty.tests import factories
from loyalty.tests.test_owner_messages import UPC
from loyalty.tests.test_report_delivery import Worker, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="a real worker needs PostgreSQL and Redis (CI runs this)",
    ),
]


@pytest.fixture
def worker(tmp_path):
    app.control.purge()
    worker = Worker(tmp_path)
    worker.start()
    yield worker
    worker.stop()


def test_the_worker_sends_one_more_to_go_once_though_the_task_comes_three_times(
    worker, retailer, location, cashier_user
):
    from decimal import Decimal

    from loyalty.contracts.pos import PosLine
    from loyalty.tests.pos_sales import press_pos_button

    food = factories.ItemFactory(gtin=UPC)
    factories.enrolled_card(retailer, required=3, items=[food])
    owner = factories.PetOwnerFactory(
        retailer=retailer, email="dana@example.com", email_consent=True
    )
    line = PosLine("1", (UPC,), "Kibble", 2, Decimal("20.00"))
    press_pos_button(owner=owner, location=location, cashier=cashier_user, lines=[line])
    # The on-commit task, then two more deliveries of it (a broker redelivery, a retry).
    send_owner_messages_task.delay(owner.pk)
    send_owner_messages_task.delay(owner.pk)

    def sent():
        return OwnerMessage.objects.filter(state=MessageState.SENT).exists()

    wait_for(sent, timeout=30, what="the message sent by the worker")
    wait_for(lambda: b"succeeded" in worker.log.read_bytes(), timeout=10, what="tasks done")
    message = OwnerMessage.objects.get()
    assert (message.kind, message.attempts) == (MessageKind.ONE_MORE, 1)
    assert message.recipient == "dana@example.com" and "(2/3)" in message.body
