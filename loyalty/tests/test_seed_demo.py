"""seed_demo: idempotent, prints logins that work, gives Sally cards, adds benchmark owners."""

import io
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from loyalty.models import (
    Card,
    Enrollment,
    Item,
    Pet,
    PetOwner,
    PointsEntry,
    Program,
    ProgramCard,
    Purchase,
    Redemption,
    Retailer,
    User,
    Visit,
)
from loyalty.rules.upc import is_valid_gtin
from loyalty.services.points import points_balance

pytestmark = pytest.mark.django_db

COUNTED = (
    Retailer,
    User,
    Item,
    Program,
    ProgramCard,
    Enrollment,
    PetOwner,
    Pet,
    Visit,
    Card,
    Purchase,
    PointsEntry,
    Redemption,
)


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_running_twice_creates_nothing_new_and_prints_the_same():
    first_output = seed()
    first = counts()
    assert seed() == first_output
    assert counts() == first
    assert first["PetOwner"] >= 36 and first["Purchase"] > 100 and first["Redemption"] == 1
    assert "demo-admin / astro-admin-demo" in first_output
    assert "Open http://127.0.0.1:8000/ and log in" in first_output
    platform_items = Item.objects.filter(retailer__isnull=True)
    assert all(len(i.gtin) == 14 and is_valid_gtin(i.gtin) for i in platform_items)
    enrolled = set(
        Enrollment.objects.filter(retailer__name="Demo Pet Supply").values_list(
            "program__name", flat=True
        )
    )
    assert "Acana Dog Frequent Buyer" in enrolled
    assert "Orijen Cat Frequent Buyer" not in enrolled  # checkout can show the enroll prompt


def test_json_lists_logins_that_authenticate_and_sally_has_history():
    data = json.loads(seed("--json"))
    assert {"logins", "retailers", "locations", "owners"} <= set(data)
    request = RequestFactory().post("/login/")
    for key in ("admin", "cashier", "platform"):
        login = data["logins"][key]
        user = authenticate(request, username=login["username"], password=login["password"])
        assert user is not None, key
    assert User.objects.get(username=data["logins"]["platform"]["username"]).is_superuser
    demo = [loc for loc in data["locations"] if loc["retailer"] == "Demo Pet Supply"]
    assert [loc["name"] for loc in demo] == ["Main Street", "Riverside"]
    assert all(loc["button_token"] and loc["id"] for loc in demo)
    assert [r["name"] for r in data["retailers"]] == ["Demo Pet Supply", "Other Pet Shop"]
    assert (
        data["owners"]["count"] == PetOwner.objects.filter(retailer__name="Demo Pet Supply").count()
    )
    assert_sally_has_cards_and_points(data["owners"]["sally_id"])


def assert_sally_has_cards_and_points(sally_id: int) -> None:
    sally = PetOwner.objects.get(pk=sally_id, is_test=True)
    cards = {
        card.program_card.name: (card.status, card.purchases.count())
        for card in Card.objects.filter(owner=sally).select_related("program_card")
    }
    assert cards["Acana Dry Dog Food — Buy 12 Get 1 Free"] == ("open", 5)
    assert cards["Buy 10 Frozen Dinners Get 1 Free"] == ("complete", 10)
    assert points_balance(sally) > 0


def test_bench_owners_are_added_once():
    seed()
    before = PetOwner.objects.count()
    seed("--owners", "50")
    assert PetOwner.objects.count() == before + 50
    seed("--owners", "50")
    assert PetOwner.objects.count() == before + 50
    bench = PetOwner.objects.get(first_name="Bench7", last_name="Owner")
    assert bench.email_normalized == "bench7@example.com"
    assert bench.phone_digits.isdigit()
