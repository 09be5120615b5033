"""The sandbox answers like Heartland Retail: shapes, embedding, pages, errors, the budget."""

import pytest

from simulators.heartland.models import SandboxTicketLine

from .factories import API_PREFIX, make_account, make_customer, make_item, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return make_account()


@pytest.fixture
def api(client, account):
    def get(path, token=None, **params):
        headers = {"Authorization": f"Bearer {token or account.api_token}"}
        return client.get(f"{API_PREFIX}/{path}", params, headers=headers)

    return get


def test_a_ticket_has_numbers_as_json_numbers_and_a_null_customer(api, account):
    ticket = make_ticket(account, [(make_item(account), 2, "54.99")])
    response = api(f"sales/tickets/{ticket.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["id"] == ticket.pk and isinstance(body["id"], int)
    assert body["customer_id"] is None and "customer" not in body
    assert body["total"] == 118.78 and body["status"] == "pending"
    assert body["source_location_id"] == ticket.location_id
    assert body["public_id"] == str(100000 + ticket.pk)


def test_include_embeds_the_customer_without_its_phone(api, account):
    customer = make_customer(account, phone="(555) 222-3344")
    ticket = make_ticket(account, customer=customer)
    body = api(f"sales/tickets/{ticket.pk}", **{"_include[]": "customer"}).json()
    assert body["customer"]["last_name"] == "Lopez" and "phone" not in body["customer"]
    addresses = api(f"customers/{customer.pk}/addresses").json()
    assert addresses["results"][0]["phone"] == "(555) 222-3344"


def test_lines_come_in_pages_with_items_only_when_asked_and_a_tax_line(api, account):
    food = make_item(account)
    ticket = make_ticket(account, [(food, 1, "10.00"), (None, 1.5, "4.00")])
    plain = api(f"sales/tickets/{ticket.pk}/lines").json()
    assert (plain["total"], plain["pages"], plain["per_page"]) == (3, 1, 20)
    assert "item" not in plain["results"][0]
    assert plain["results"][1]["qty"] == 1.5 and plain["results"][1]["item_id"] is None
    assert plain["results"][2] == {
        "id": 900_000_000 + ticket.pk,
        "ticket_id": ticket.pk,
        "type": "TaxLine",
        "description": "Sales Tax",
        "value": 1.28,
    }
    embedded = api(f"sales/tickets/{ticket.pk}/lines", **{"_include[]": "item"}).json()
    assert embedded["results"][0]["item"]["custom"] == {"upc": "036000291452"}
    assert embedded["results"][1]["item"] is None


def test_per_page_is_capped_and_a_page_past_the_end_is_empty(api, account):
    food = make_item(account)
    ticket = make_ticket(account, [(food, 1, "1.00")] * 120)
    first = api(f"sales/tickets/{ticket.pk}/lines", per_page="500").json()
    assert (first["per_page"], first["pages"], len(first["results"])) == (100, 2, 100)
    second = api(f"sales/tickets/{ticket.pk}/lines", per_page="100", page="2").json()
    assert len(second["results"]) == 21
    past = api(f"sales/tickets/{ticket.pk}/lines", page="9").json()
    assert past["results"] == [] and past["total"] == 121


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "x"}, {"per_page": "-1"}])
def test_a_bad_page_parameter_is_a_validation_error(api, account, params):
    ticket = make_ticket(account)
    response = api(f"sales/tickets/{ticket.pk}/lines", **params)
    assert response.status_code == 400 and response.json()["error"] == "validation_error"


def test_an_unknown_include_is_a_validation_error(api, account):
    ticket = make_ticket(account)
    response = api(f"sales/tickets/{ticket.pk}", **{"_include[]": "payments"})
    assert response.status_code == 400 and "payments" in response.json()["message"]


def test_held_tickets_and_lines_are_unknown_to_the_api(api, account):
    food = make_item(account)
    held = make_ticket(account, [(food, 1, "1.00")], saved=False)
    assert api(f"sales/tickets/{held.pk}").status_code == 404
    ticket = make_ticket(account, [(food, 1, "1.00"), (food, 2, "1.00")])
    SandboxTicketLine.objects.filter(ticket=ticket, qty=2).update(saved=False)
    lines = api(f"sales/tickets/{ticket.pk}/lines").json()["results"]
    assert [row["qty"] for row in lines if row["type"] == "ItemLine"] == [1]


def test_another_accounts_rows_answer_like_missing_ones(api, account):
    other = make_account("rival")
    theirs = make_ticket(other, customer=make_customer(other))
    assert api(f"sales/tickets/{theirs.pk}").status_code == 404
    assert api(f"customers/{theirs.customer_id}").status_code == 404
    body = api("sales/tickets").json()
    assert body["total"] == 0


def test_no_token_a_wrong_one_or_a_revoked_one_is_401(client, account, api):
    assert client.get(f"{API_PREFIX}/locations").status_code == 401
    assert api("locations", token="wrong").status_code == 401
    account.token_revoked = True
    account.save()
    response = api("locations")
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"


def test_the_budget_answers_429_with_retry_after_and_refills_after_the_window(api, account):
    account.rate_limit, account.rate_window_seconds = 2, 60
    account.save()
    assert [api("locations").status_code for _ in range(3)] == [200, 200, 429]
    refused = api("locations")
    assert 1 <= int(refused["Retry-After"]) <= 60
    account.refresh_from_db()
    account.window_started_at = account.window_started_at.replace(year=2000)
    account.save()
    assert api("locations").status_code == 200


def test_the_api_is_read_only(client, account):
    response = client.post(
        f"{API_PREFIX}/locations", headers={"Authorization": f"Bearer {account.api_token}"}
    )
    assert response.status_code == 405


def test_locations_list_the_accounts_stores(api, account):
    body = api("locations").json()
    assert body["results"] == [
        {"id": account.locations.get().pk, "public_id": "MS", "name": "Main Street"}
    ]
