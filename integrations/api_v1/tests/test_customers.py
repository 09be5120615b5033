"""Mapping POS customers: create and link, Already In Astro, link, unlink, loyalty state."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loyalty.models import PetOwner, PointReward, PosLink
from loyalty.services.cards import add_purchases
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories

NEW_CUSTOMER = {
    "pos_customer_id": "P-100",
    "first_name": "Rosa",
    "last_name": "Diaz",
    "email": "Rosa@Example.com",
    "phone": "(217) 555-0101",
}


def test_post_customer_creates_an_owner_and_links_the_pos_customer(api, api_retailer):
    response = api.post("/api/v1/customers/", NEW_CUSTOMER)
    assert response.status_code == 201
    body = response.json()
    owner = PetOwner.objects.get(pk=body["astro_id"])
    assert (owner.retailer, owner.first_name, owner.email) == (
        api_retailer,
        "Rosa",
        "Rosa@Example.com",
    )
    assert body["pos_customer_ids"] == ["P-100"]
    link = PosLink.objects.get(pos_customer_id="P-100")
    assert (link.owner, link.pos_system) == (owner, "pinogy")


def test_a_linked_pos_customer_cannot_be_created_again(api):
    first = api.post("/api/v1/customers/", NEW_CUSTOMER).json()
    response = api.post("/api/v1/customers/", {**NEW_CUSTOMER, "first_name": "Other"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "already_linked"
    assert body["astro_id"] == first["astro_id"]
    assert "Unlink it first" in body["message"]
    assert PetOwner.objects.filter(first_name="Other").count() == 0


def test_bad_customer_data_says_which_field_and_changes_nothing(api):
    before = PetOwner.objects.count()
    response = api.post("/api/v1/customers/", {**NEW_CUSTOMER, "email": "not-an-email"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"].startswith("email: ")
    assert set(body["fields"]) == {"email"}
    assert PetOwner.objects.count() == before


def test_a_body_that_is_not_json_gets_a_json_error(client, issued):
    response = client.post(
        "/api/v1/customers/",
        "{oops",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {issued.key}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_find_by_email_ignores_case_and_other_retailers(api, api_retailer, other_retailer):
    mine = factories.PetOwnerFactory(retailer=api_retailer, email="max@example.com")
    factories.PetOwnerFactory(retailer=other_retailer, email="max@example.com")
    response = api.get("/api/v1/customers/", {"email": "MAX@example.com"})
    assert response.status_code == 200
    assert [row["astro_id"] for row in response.json()] == [mine.pk]


def test_find_by_email_needs_an_email(api):
    response = api.get("/api/v1/customers/")
    assert response.status_code == 400
    assert response.json()["message"] == "email: This field is required."


def test_put_links_an_existing_owner_and_repeating_it_changes_nothing(api, api_retailer):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    first = api.put("/api/v1/links/P-7", {"astro_id": owner.pk})
    assert first.status_code == 200
    assert first.json()["astro_id"] == owner.pk
    again = api.put("/api/v1/links/P-7", {"astro_id": owner.pk})
    assert again.status_code == 200
    assert PosLink.objects.filter(pos_customer_id="P-7").count() == 1


def test_put_to_a_second_owner_is_409_until_unlinked(api, api_retailer):
    first, second = factories.PetOwnerFactory.create_batch(2, retailer=api_retailer)
    api.put("/api/v1/links/P-7", {"astro_id": first.pk})
    response = api.put("/api/v1/links/P-7", {"astro_id": second.pk})
    assert response.status_code == 409
    assert PosLink.objects.get(pos_customer_id="P-7").owner == first
    assert api.delete("/api/v1/links/P-7").status_code == 204
    assert api.put("/api/v1/links/P-7", {"astro_id": second.pk}).status_code == 200


def test_unlinking_a_customer_that_is_not_linked_is_404_with_what_to_do(api):
    response = api.delete("/api/v1/links/P-404")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_linked"
    assert "POST /api/v1/customers/" in body["message"]


def test_loyalty_lists_cards_alphabetically_with_progress_and_points(api, api_retailer):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="P-1", actor=None)
    zebra = factories.enrolled_card(api_retailer, required=12)
    zebra.program.name = "Zignature Dog"
    zebra.program.save()
    acana = factories.enrolled_card(api_retailer, required=10)
    acana.program.name = "Acana Dog"
    acana.program.save()
    add_purchases(owner=owner, program_card=zebra, quantity=5)
    add_purchases(owner=owner, program_card=acana, quantity=2)
    owner.points_entries.create(retailer=api_retailer, kind="earned", points=120)
    PointReward.objects.create(retailer=api_retailer, name="$5 off", points_required=100)
    PointReward.objects.create(retailer=api_retailer, name="$20 off", points_required=400)

    response = api.get("/api/v1/links/P-1/loyalty")
    assert response.status_code == 200
    body = response.json()
    assert body["astro_id"] == owner.pk
    assert [(c["program"], c["progress"]) for c in body["cards"]] == [
        ("Acana Dog", "2/10"),
        ("Zignature Dog", "5/12"),
    ]
    assert all(c["card_id"].startswith("C") for c in body["cards"])
    assert body["points_balance"] == 120
    assert [(r["name"], r["available"]) for r in body["point_rewards"]] == [
        ("$5 off", True),
        ("$20 off", False),
    ]


def test_loyalty_read_does_not_grow_with_the_number_of_cards(api, api_retailer):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="P-1", actor=None)

    def queries_for_read() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/links/P-1/loyalty").status_code == 200
        return len(queries)

    add_purchases(owner=owner, program_card=factories.enrolled_card(api_retailer), quantity=3)
    queries_for_read()  # the first call also notes when the key was last used
    with_one = queries_for_read()
    for _ in range(5):
        add_purchases(owner=owner, program_card=factories.enrolled_card(api_retailer), quantity=3)
    assert queries_for_read() == with_one
    assert len(api.get("/api/v1/links/P-1/loyalty").json()["cards"]) == 6


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("get", "/api/v1/links/P-1/loyalty", None),
        ("get", "/api/v1/links/P-1/redeemable", None),
        ("delete", "/api/v1/links/P-1", None),
    ],
)
def test_another_retailers_customer_is_not_found(other_api, api_retailer, method, path, body):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="P-1", actor=None)
    response = getattr(other_api, method)(path)
    assert response.status_code == 404
    assert PosLink.objects.filter(pos_customer_id="P-1").exists()


def test_another_retailers_owner_cannot_be_linked(other_api, api_retailer):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    response = other_api.put("/api/v1/links/X-1", {"astro_id": owner.pk})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not PosLink.objects.exists()
