"""The Abandoned cards report (issue 15): open cards with no punch for 60 days (adjustable), per
program, with the owner and progress, and its CSV; admins only, their own store only."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from loyalty.models import PetOwner
from loyalty.services.cards import add_purchases
from loyalty.tests import factories


def days_ago(n: int):
    return timezone.now() - timedelta(days=n)


@pytest.fixture
def cards(retailer):
    """Ann stopped 70 days ago at 2/5; Bob punched 10 days ago; Cat's card is complete; Sally,
    the test account, stopped long ago."""
    program_card = factories.enrolled_card(retailer, required=5)
    program_card.program.name = "Kibble Club"
    program_card.program.save()
    item = program_card.qualifying_items.get()
    people = {
        "ann": factories.PetOwnerFactory(retailer=retailer, first_name="Ann"),
        "bob": factories.PetOwnerFactory(retailer=retailer, first_name="Bob"),
        "cat": factories.PetOwnerFactory(retailer=retailer, first_name="Cat"),
        "sally": PetOwner.objects.get(retailer=retailer, is_test=True),
    }
    for name, quantity, age in [("ann", 2, 70), ("bob", 1, 10), ("cat", 5, 90), ("sally", 1, 99)]:
        add_purchases(
            owner=people[name],
            program_card=program_card,
            quantity=quantity,
            item=item,
            purchased_at=days_ago(age),
        )
    return people


def test_the_report_lists_cards_idle_for_60_days_with_owner_and_progress(admin_client, cards):
    page = admin_client.get(reverse("abandoned_cards")).content.decode()
    assert "Kibble Club" in page and "Ann Smith" in page and "2/5" in page
    assert "Bob Smith" not in page  # punched 10 days ago
    assert "Cat Smith" not in page  # complete, not abandoned
    assert "Sally Pet Owner</a>" not in page  # the test account
    assert "1 card with no punch for 60 days or more" in page


def test_the_days_are_adjustable_and_bad_input_shows_a_message(admin_client, cards):
    page = admin_client.get(reverse("abandoned_cards"), {"days": "5"}).content.decode()
    assert "Ann Smith" in page and "Bob Smith" in page
    page = admin_client.get(reverse("abandoned_cards"), {"days": "100"}).content.decode()
    assert "No open card has gone 100 days without a punch." in page
    bad = admin_client.get(reverse("abandoned_cards"), {"days": "soon"})
    assert bad.status_code == 422 and "is not a number of days" in bad.content.decode()
    assert admin_client.get(reverse("abandoned_cards_csv"), {"days": "-3"}).status_code == 422


def test_the_csv_has_the_same_rows(admin_client, cards):
    response = admin_client.get(reverse("abandoned_cards_csv"), {"days": "5"})
    assert response["Content-Disposition"] == 'attachment; filename="abandoned-cards-5-days.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["program", "program card", "card", "pet owner"]
    assert [row[3] for row in rows[1:]] == ["Ann Smith", "Bob Smith"]
    assert [row[6:8] for row in rows[1:]] == [["2", "5"], ["1", "5"]]
    assert rows[1][9] == "70"


def test_cashiers_get_403_and_another_store_sees_none_of_ours(
    client, cards, cashier_user, other_retailer
):
    client.force_login(cashier_user)
    assert client.get(reverse("abandoned_cards")).status_code == 403
    assert client.get(reverse("abandoned_cards_csv")).status_code == 403
    client.force_login(factories.UserFactory(retailer=other_retailer, role="admin"))
    page = client.get(reverse("abandoned_cards"), {"days": "1"}).content.decode()
    assert "Ann Smith" not in page and "No open card has gone 1 days" in page
