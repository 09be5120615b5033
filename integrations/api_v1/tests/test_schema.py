"""The OpenAPI document validates, the docs page reads it, unknown paths answer JSON."""

import io

import yaml
from django.core.management import call_command


def test_the_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    paths = set(schema["paths"])
    assert {
        "/api/v1/customers/",
        "/api/v1/links/{pos_customer_id}",
        "/api/v1/links/{pos_customer_id}/loyalty",
        "/api/v1/links/{pos_customer_id}/redeemable",
        "/api/v1/sales/",
        "/api/v1/sales/quote/",
        "/api/v1/redemptions/",
        "/api/v1/inventory/",
    } <= paths
    assert set(schema["components"]["securitySchemes"]) == {"ApiKey", "BasicApiKey"}


def test_the_schema_is_served_without_a_key(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Astro Loyalty POS API"


def test_the_docs_page_lists_every_operation(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Post a finalized (paid) sale" in html
    assert "/api/v1/links/{pos_customer_id}/loyalty" in html
    assert "cdn" not in html.lower()


def test_an_unknown_api_path_answers_json(api):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_failure_on_astros_side_still_answers_json(api, monkeypatch):
    from integrations.api_v1.views import customers

    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(customers, "owners_by_email", broken)
    response = api.get("/api/v1/customers/", {"email": "a@example.com"})
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "Try again" in response.json()["message"]


def test_a_post_to_an_unknown_path_answers_json_too(client, db):
    response = client.post("/api/v1/links/C-1/point-rewards/not-a-number/accept")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
