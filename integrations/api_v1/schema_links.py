"""What the OpenAPI document says beyond the serializers (a drf-spectacular postprocessing hook):
the refusals of the `pos_customer_id` path parameter and the links between operations.

The links say where each operation's inputs come from in an earlier answer (OpenAPI 3 link
objects), so a client generator, a reader, or schemathesis' stateful phase can follow a POS's
real sequence: create or link a customer → post their sale → list what is redeemable →
redeem, and read loyalty or decide on a coupon or point reward on the way (issue 13).
"""

from __future__ import annotations

from typing import Any

# The same rule as views/common.py checked_customer_id, for the document.
POS_CUSTOMER_ID = {
    "type": "string",
    "minLength": 1,
    "maxLength": 100,
    "pattern": "^[^\\x00]+$",
    "description": "The POS's customer id: up to 100 characters, no NUL; anything else is "
    "refused with 400 `invalid`.",
}

FROM_CREATED = "$request.body#/pos_customer_id"
FROM_LINK = "$response.body#/pos_customer_id"
FROM_PATH = "$request.path.pos_customer_id"


def _customer_reads(source: str) -> dict[str, dict[str, Any]]:
    """The reads and writes a POS makes next for the customer whose id is at `source`."""
    return {
        "loyalty": {"operationId": "links_loyalty", "parameters": {"pos_customer_id": source}},
        "redeemable": {
            "operationId": "links_redeemable",
            "parameters": {"pos_customer_id": source},
        },
        "sale": {"operationId": "sales_create", "requestBody": {"pos_customer_id": source}},
        "unlink": {"operationId": "links_delete", "parameters": {"pos_customer_id": source}},
    }


LINKS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("customers_create", "201"): {
        **_customer_reads(FROM_CREATED),
        "link": {
            "operationId": "links_update",
            "parameters": {"pos_customer_id": FROM_CREATED},
            "requestBody": {"astro_id": "$response.body#/astro_id"},
        },
    },
    ("customers_find_by_email", "200"): {
        "link": {
            "operationId": "links_update",
            "parameters": {"pos_customer_id": "$response.body#/0/pos_customer_ids/0"},
            "requestBody": {"astro_id": "$response.body#/0/astro_id"},
        },
    },
    ("links_update", "200"): _customer_reads(FROM_LINK),
    ("sales_create", "201"): {
        "redeemable": {
            "operationId": "links_redeemable",
            "parameters": {"pos_customer_id": FROM_CREATED},
        },
        "loyalty": {
            "operationId": "links_loyalty",
            "parameters": {"pos_customer_id": FROM_CREATED},
        },
    },
    ("links_redeemable", "200"): {
        "redeem": {
            "operationId": "redemptions_create",
            "requestBody": {
                "pos_customer_id": FROM_PATH,
                "card_id": "$response.body#/0/card_id",
                "item_id": "$response.body#/0/items/0/item_id",
            },
        },
    },
    ("links_loyalty", "200"): {
        "coupon": {
            "operationId": "coupons_decide",
            "parameters": {
                "pos_customer_id": FROM_PATH,
                "coupon_id": "$response.body#/coupons/0/id",
            },
        },
        "point_reward": {
            "operationId": "point_rewards_decide",
            "parameters": {
                "pos_customer_id": FROM_PATH,
                "reward_id": "$response.body#/point_rewards/0/id",
            },
        },
    },
}


def add_links(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS entry: declare the path rule and add each operation's links."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "pos_customer_id" and parameter["in"] == "path":
                    parameter["schema"] = dict(POS_CUSTOMER_ID)
            for status, response in operation.get("responses", {}).items():
                links = LINKS.get((operation.get("operationId"), status))
                if links:
                    response["links"] = links
    return result
