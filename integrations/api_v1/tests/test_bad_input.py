"""Issue 13, finding 4: inputs that answered 500 now answer 400 with the API's error shape."""

import pytest

from loyalty.models import PetOwner, PosLink
from loyalty.tests import factories

NUL_PATHS = [
    ("get", "/api/v1/links/POS%0042/loyalty"),
    ("get", "/api/v1/links/POS%0042/redeemable"),
    ("put", "/api/v1/links/POS%0042"),
    ("delete", "/api/v1/links/POS%0042"),
    ("post", "/api/v1/links/POS%0042/coupons/1/accept"),
    ("post", "/api/v1/links/POS%0042/point-rewards/1/accept"),
]


@pytest.mark.parametrize(("method", "path"), NUL_PATHS)
def test_a_nul_in_the_pos_customer_id_is_a_400_that_names_it(api, api_retailer, method, path):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    call = getattr(api, method)
    response = call(path) if method in ("get", "delete") else call(path, {"astro_id": owner.pk})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "NUL" in body["message"]
    assert set(body["fields"]) == {"pos_customer_id"}
    assert not PosLink.objects.exists()


def test_a_pos_customer_id_longer_than_the_bodies_allow_is_a_400(api, api_retailer):
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    response = api.put(f"/api/v1/links/{'7' * 101}", {"astro_id": owner.pk})
    assert response.status_code == 400 and "longer than 100" in response.json()["message"]
    assert not PosLink.objects.exists()


@pytest.mark.parametrize("depth", [21, 1000, 100_000])
def test_json_nested_deeper_than_any_request_is_a_400(client, issued, depth):
    before = PetOwner.objects.count()
    body = '{"pos_customer_id": ' + "[" * depth + "]" * depth + "}"
    response = client.post(
        "/api/v1/customers/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {issued.key}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "nested more than 20 levels" in response.json()["message"]
    assert PetOwner.objects.count() == before


def test_a_sale_three_levels_deep_is_still_read(api):
    response = api.post("/api/v1/sales/", {"lines": [{"line_id": {"a": [[]]}}]})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
