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


def _schema() -> dict:
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return yaml.safe_load(out.getvalue())


def _operations(schema: dict) -> dict[str, dict]:
    return {op["operationId"]: op for ops in schema["paths"].values() for op in ops.values()}


def test_the_document_declares_every_refusal():
    """Issue 13: schemathesis found answers the document did not declare."""
    operations = _operations(_schema())
    for name, operation in operations.items():
        assert {"400", "401", "414", "429", "431"} <= set(operation["responses"]), name
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "pos_customer_id":
                assert parameter["schema"]["maxLength"] == 100
                assert parameter["schema"]["pattern"] == "^[^\\x00]+$"
    assert "409" in operations["sales_create"]["responses"]
    completed_at = _schema()["components"]["schemas"]["SaleInRequest"]["properties"]
    assert "more than a year old" in completed_at["completed_at"]["description"]
    assert "1,000 units" in completed_at["lines"]["description"]


def test_links_chain_customer_sale_redeemable_redemption():
    operations = _operations(_schema())

    def targets(name: str, status: str) -> set[str]:
        links = operations[name]["responses"][status].get("links", {})
        return {link["operationId"] for link in links.values()}

    assert "sales_create" in targets("customers_create", "201")
    assert "links_redeemable" in targets("sales_create", "201")
    assert targets("links_redeemable", "200") == {"redemptions_create"}
    assert {"coupons_decide", "point_rewards_decide"} <= targets("links_loyalty", "200")
    for op in operations.values():
        for response in op["responses"].values():
            for link in response.get("links", {}).values():
                assert link["operationId"] in operations
