"""seed_demo: idempotent, prints logins that work, gives Sally cards, adds benchmark owners."""

import base64
import io
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

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
from simulators.lightspeed.models import SandboxCustomer, SandboxItem, SandboxShop, SandboxToken

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
    assert first["PetOwner"] >= 36 and first["Purchase"] > 100 and first["Redemption"] == 5
    assert "demo-admin / astro-admin-demo" in first_output
    assert "Open http://127.0.0.1:8000/ and log in" in first_output
    assert "POS API (Uptown Pet Market" in first_output and "key " in first_output
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


def test_output_names_each_locations_button_url_and_the_sandbox_register():
    text = seed()
    data = json.loads(seed("--json"))

    for location in data["locations"]:
        button = "http://127.0.0.1:8000" + reverse(
            "lightspeed_button", args=[location["button_token"]]
        )
        assert location["lightspeed_button_url"] == button
        assert f"{location['retailer']}, {location['name']}: {button}" in text
    sandbox = data["lightspeed_sandbox"]
    assert sandbox == {
        "api_base": "http://127.0.0.1:8000/sandbox/lightspeed",
        "account_id": sandbox["account_id"],
        "access_token": sandbox["access_token"],
        "register_url": "http://127.0.0.1:8000/sandbox/lightspeed/register/",
    }
    assert sandbox["account_id"] and sandbox["access_token"]
    assert f"register (Demo Pet Supply): {sandbox['register_url']}" in text
    # The sandbox's shops hold the demo retailer's button URLs, as pasted in Custom Menus.
    demo = [loc for loc in data["locations"] if loc["retailer"] == "Demo Pet Supply"]
    shops = SandboxShop.objects.order_by("shop_id")
    assert [s.button_url for s in shops] == [loc["lightspeed_button_url"] for loc in demo]


def test_sandbox_rows_are_not_created_twice():
    seed()
    models = (SandboxShop, SandboxItem, SandboxCustomer, SandboxToken)
    before = {model.__name__: model.objects.count() for model in models}
    seed()
    assert {model.__name__: model.objects.count() for model in models} == before
    assert before["SandboxShop"] == 2 and before["SandboxToken"] == 1


def test_base_url_option_moves_every_printed_address():
    data = json.loads(seed("--json", "--base-url", "http://10.0.0.5:8080/"))
    assert all(
        loc["lightspeed_button_url"].startswith("http://10.0.0.5:8080/pos/lightspeed/")
        for loc in data["locations"]
    )
    assert data["lightspeed_sandbox"]["register_url"].startswith("http://10.0.0.5:8080/sandbox/")
    assert "Open http://10.0.0.5:8080/ and log in." in seed("--base-url", "http://10.0.0.5:8080")
    with pytest.raises(CommandError, match="--base-url"):
        seed("--base-url", "127.0.0.1:8000")


def test_without_the_sandbox_nothing_is_seeded_into_it(settings):
    settings.POS_SANDBOX_ENABLED = False
    data = json.loads(seed("--json"))
    assert data["lightspeed_sandbox"] is None
    assert not SandboxShop.objects.exists()
    assert all(loc["lightspeed_button_url"] for loc in data["locations"])


def test_json_names_the_rest_api_store_and_a_key_that_works(client):
    data = json.loads(seed("--json"))
    api = data["api"]
    assert api["base"] == "http://127.0.0.1:8000/api/v1/"
    assert json.loads(seed("--json"))["api"] == api  # the same key after every run
    retailer = Retailer.objects.get(name=api["retailer"])
    assert retailer.pos_integration == "pinogy"
    path = f"/api/v1/links/{api['linked_pos_customer_id']}/loyalty"
    response = client.get(path, HTTP_AUTHORIZATION=f"Api-Key {api['key']}")
    assert response.status_code == 200
    assert response.json()["name"] == "Jamie Rivera"


def test_json_names_the_full_integration_register_and_its_key_works(client):
    from simulators.rest_register.models import Customer, RegisterStore

    text = seed()
    data = json.loads(seed("--json"))
    register = data["rest_register_sandbox"]
    assert register["register_url"] == "http://127.0.0.1:8000/sandbox/rest-register/"
    assert "Full-integration register (Uptown Pet Market, calls the POS API): " in text
    assert register["register_url"] in text
    assert client.get("/sandbox/rest-register/").status_code == 200
    store = RegisterStore.objects.get()
    assert store.astro_api_base == data["api"]["base"]
    assert store.api_username != data["api"]["username"]  # the register's own API user
    token = base64.b64encode(f"{store.api_username}:{store.api_key}".encode()).decode()
    path = f"/api/v1/links/{register['customers']['linked']}/loyalty"
    loyalty = client.get(path, HTTP_AUTHORIZATION=f"Basic {token}").json()
    assert [card["progress"] for card in loyalty["cards"]] == ["5/12"]
    ready = client.get(
        f"/api/v1/links/{register['customers']['ready_to_redeem']}/redeemable",
        HTTP_AUTHORIZATION=f"Basic {token}",
    ).json()
    assert [card["progress"] for card in ready] == ["12/12"]
    assert Customer.objects.filter(astro_id__isnull=True).count() == 2
    assert json.loads(seed("--json"))["rest_register_sandbox"] == register


def test_without_the_sandbox_there_is_no_register(settings):
    settings.POS_SANDBOX_ENABLED = False
    assert json.loads(seed("--json"))["rest_register_sandbox"] is None


def test_json_gives_sallys_card_page_and_it_opens(client):
    summary = json.loads(seed("--json"))
    card_page = summary["card_page"]
    assert card_page["owner"] == "Sally Pet Owner"
    assert card_page["url"].startswith(summary["base_url"] + "/card/")
    page = client.get(card_page["url"].removeprefix(summary["base_url"]))
    assert page.status_code == 200 and "/12" in page.content.decode()


def test_the_demo_store_sends_messages_to_consenting_owners_and_to_sally(mailoutbox):
    from loyalty.models import MessageSettings, OwnerMessage

    data = json.loads(seed("--json"))
    demo = Retailer.objects.get(name="Demo Pet Supply")
    assert MessageSettings.objects.get(retailer=demo).send_test_messages
    assert not MessageSettings.objects.get(retailer__name="Other Pet Shop").send_test_messages
    assert PetOwner.objects.get(pk=data["owners"]["sally_id"]).email_consent
    consenting = PetOwner.objects.filter(retailer=demo, marketing_consent=True).exclude(email="")
    assert consenting.exists() and not consenting.filter(email_consent=False).exists()
    # The history was replayed before any consent: it sent nothing.
    assert not OwnerMessage.objects.exists() and mailoutbox == []
