"""Every operation's real answer matches the response schema the OpenAPI document shows for it:
a field added, dropped, renamed or retyped on either side fails here, so the document a POS
partner builds against cannot drift from what the API sends."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator, FormatChecker

from integrations.api_v1.models import ProductFilterCondition
from loyalty.models import Card, Offer, PointReward
from loyalty.services.cards import add_purchases
from loyalty.services.coupons import issue_coupon
from loyalty.services.owners import link_pos_customer
from loyalty.tests import factories

from .test_sales import sale

# OpenAPI 3.0 words that are not JSON Schema (nullable is turned into a "null" type below).
OPENAPI_ONLY = {"nullable", "readOnly", "writeOnly", "example", "discriminator", "xml"}


@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def json_schema(node, components):
    """An OpenAPI 3.0 schema as plain JSON Schema, `$ref`s resolved, and no key an answer
    may carry that the document does not show."""
    if isinstance(node, list):
        return [json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return json_schema(components[node["$ref"].rsplit("/", 1)[-1]], components)
    out = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {name: json_schema(s, components) for name, s in value.items()}
        elif key not in OPENAPI_ONLY:
            out[key] = json_schema(value, components)
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    if node.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_aware_time(value) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


def response_schema(document, operation_id: str, status: int) -> dict:
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                answer = operation["responses"][str(status)]
                schema = answer["content"]["application/json"]["schema"]
                return json_schema(schema, document["components"]["schemas"])
    raise AssertionError(f"The document has no operation {operation_id}.")


@pytest.fixture
def store(api, api_retailer, location):
    """A linked owner holding a bit of everything an answer can show."""
    bag = factories.ItemFactory(item_number="BAG-1")
    treat = factories.ItemFactory(list_price=None)
    free = factories.enrolled_card(api_retailer, required=3, items=[bag, treat])
    off = factories.enrolled_card(api_retailer, required=2, items=[treat])
    off.reward_kind, off.discount_amount = "discount_item", Decimal("3.50")
    off.save()
    owner = factories.PetOwnerFactory(retailer=api_retailer)
    link_pos_customer(owner=owner, pos_system="pinogy", pos_customer_id="C-1", actor=None)
    add_purchases(owner=owner, program_card=free, quantity=4, item=bag)
    add_purchases(owner=owner, program_card=off, quantity=2, item=treat)
    owner.points_entries.create(retailer=api_retailer, kind="earned", points=150)
    reward = PointReward.objects.create(retailer=api_retailer, name="$5", points_required=100)
    PointReward.objects.create(retailer=api_retailer, name="Big", points_required=10**6)
    later = timezone.now() + timedelta(days=30)
    coupon = issue_coupon(owner=owner, name="$5", amount_off=Decimal("5"), expires_at=later)
    issue_coupon(owner=owner, name="$2", amount_off=Decimal("2"))
    offer = Offer.objects.create(
        name="BOGO", kind="bogo", starts_at=timezone.now() - timedelta(days=1), ends_at=later
    )
    offer.qualifying_items.add(bag)
    offer.retailers.add(api_retailer)
    ProductFilterCondition.objects.create(
        location=location, position=0, field="brand", operator="equal", value="Acana"
    )
    cards = {card.program_card_id: card for card in Card.objects.filter(status="complete")}
    return SimpleNamespace(
        api=api,
        owner=owner,
        bag=bag,
        treat=treat,
        free_card=cards[free.pk],
        off_card=cards[off.pk],
        coupon=coupon,
        reward=reward,
    )


def _redeem(store, card, item):
    body = {"pos_customer_id": "C-1", "card_id": card.card_number, "item_id": item.pk}
    return store.api.post("/api/v1/redemptions/", body)


def _sale_with_an_unknown_line(store):
    payload = sale(store.bag, quantity=2, price="20.00")
    payload["lines"].append({**payload["lines"][0], "line_id": "2", "upc": "", "item_number": "X"})
    return store.api.post("/api/v1/sales/", payload)


def _unlinked_sale_outside_the_filter(store):
    payload = {**sale(store.bag, sale_id="S-9"), "pos_customer_id": "C-404"}
    payload["lines"][0]["brand"] = "Orijen"
    return store.api.post("/api/v1/sales/", payload)


def _new_customer(store):
    body = {"pos_customer_id": "P-9", "first_name": "Ann", "last_name": "Lee", "email": "a@b.co"}
    return store.api.post("/api/v1/customers/", body)


def _link_another_owner(store):
    someone = factories.PetOwnerFactory(retailer=store.owner.retailer)
    return store.api.put("/api/v1/links/P-2", {"astro_id": someone.pk})


# (operation id, the status of the answer): how to get that answer from the store above.
CASES = {
    ("customers_find_by_email", 200): lambda s: s.api.get(
        "/api/v1/customers/", {"email": s.owner.email}
    ),
    ("customers_create", 201): _new_customer,
    ("links_update", 200): _link_another_owner,
    ("links_loyalty", 200): lambda s: s.api.get("/api/v1/links/C-1/loyalty"),
    ("links_redeemable", 200): lambda s: s.api.get("/api/v1/links/C-1/redeemable"),
    ("inventory_replace", 200): lambda s: s.api.put(
        "/api/v1/inventory/", {"codes": ["BAG-1", "NOT-AN-ITEM"]}
    ),
    ("redemptions_create", 201): lambda s: _redeem(s, s.free_card, s.bag),
    ("coupons_decide", 200): lambda s: s.api.post(
        f"/api/v1/links/C-1/coupons/{s.coupon.pk}/accept", {}
    ),
    ("point_rewards_decide", 200): lambda s: s.api.post(
        f"/api/v1/links/C-1/point-rewards/{s.reward.pk}/accept", {}
    ),
    ("sales_create", 201): _sale_with_an_unknown_line,
    ("sales_create", 200): _unlinked_sale_outside_the_filter,
    ("sales_quote", 200): lambda s: s.api.post(
        "/api/v1/sales/quote/", {"lines": sale(s.bag, quantity=2)["lines"]}
    ),
    ("product_filter_read", 200): lambda s: s.api.get("/api/v1/product-filter/"),
}


@pytest.mark.parametrize("case", list(CASES), ids=lambda case: f"{case[0]}-{case[1]}")
def test_the_answer_matches_the_documented_schema(document, store, case):
    operation_id, status = case
    response = CASES[case](store)
    assert response.status_code == status, response.content
    validator = Draft202012Validator(
        response_schema(document, operation_id, status), format_checker=FORMATS
    )
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())
    ]
    assert not errors, errors


def _throttled(store, settings):
    rates = {"api_key": "1/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    store.api.get("/api/v1/product-filter/")
    return store.api.get("/api/v1/product-filter/")


def _linked_twice(store, settings):
    _new_customer(store)
    return _new_customer(store)


def _wrong_key(store, settings):
    headers = {"Authorization": "Api-Key nope.nope"}
    return store.api.get("/api/v1/links/C-1/redeemable", headers=headers)


# Error answers and the extra field each carries: they too must be what the document says.
ERROR_CASES = {
    ("customers_find_by_email", 400, "fields"): lambda s, _: s.api.get(
        "/api/v1/customers/", {"email": "x"}
    ),
    ("customers_create", 409, "astro_id"): _linked_twice,
    ("links_loyalty", 404, None): lambda s, _: s.api.get("/api/v1/links/C-404/loyalty"),
    ("links_redeemable", 401, None): _wrong_key,
    ("redemptions_create", 422, None): lambda s, _: _redeem(s, s.off_card, s.bag),
    ("product_filter_read", 429, "retry_after_seconds"): _throttled,
}


@pytest.mark.parametrize("case", list(ERROR_CASES), ids=lambda case: f"{case[0]}-{case[1]}")
def test_an_error_answer_matches_the_documented_schema(document, store, settings, case):
    operation_id, status, extra = case
    response = ERROR_CASES[case](store, settings)
    assert response.status_code == status, response.content
    body = response.json()
    Draft202012Validator(response_schema(document, operation_id, status)).validate(body)
    assert set(body) == {"code", "message"} | ({extra} if extra else set())


def test_an_amount_off_redemption_matches_the_documented_schema(document, store):
    response = _redeem(store, store.off_card, store.treat)
    assert response.json()["discount"] == {
        "kind": "amount_off",
        "amount": "3.50",
        "message": f"Take 3.50 off {store.treat}.",
    }
    Draft202012Validator(response_schema(document, "redemptions_create", 201)).validate(
        response.json()
    )


def test_every_documented_answer_with_a_body_is_checked(document):
    documented = {
        (operation["operationId"], int(status))
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
        for status, answer in operation["responses"].items()
        if status.startswith("2") and "content" in answer
    }
    assert documented == set(CASES)


def test_times_are_sent_in_utc(store):
    """As the API always has: "...Z", not the site's own time zone."""
    loyalty = store.api.get("/api/v1/links/C-1/loyalty").json()
    sold = _sale_with_an_unknown_line(store).json()
    redeemed = _redeem(store, store.free_card, store.bag).json()
    times = [
        loyalty["coupons"][0]["expires_at"],
        loyalty["offers"][0]["ends_at"],
        sold["completed_at"],
        redeemed["redeemed_at"],
    ]
    assert all(t.endswith("Z") for t in times), times
    assert datetime.fromisoformat(redeemed["redeemed_at"]).tzinfo == UTC
