"""What every API view needs: the calling POS, its POS system, the customer's link."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework.request import Request

from loyalty.models import PosLink
from loyalty.services.api_links import find_link

from ..auth import ApiClient
from ..errors import ApiError
from ..responses import ErrorSerializer


def api_client(request: Request) -> ApiClient:
    return request.user


def pos_system(request: Request) -> str:
    return api_client(request).retailer.pos_integration


def not_linked(pos_customer_id: str) -> ApiError:
    return ApiError(
        status_code=404,
        code="not_linked",
        message=(
            f"POS customer {pos_customer_id} is not linked to an Astro pet owner. Create one "
            "with POST /api/v1/customers/, or find one with GET /api/v1/customers/?email= and "
            f"link it with PUT /api/v1/links/{pos_customer_id}."
        ),
    )


# A POS customer id as the request bodies take it (SaleInSerializer, CustomerInSerializer).
POS_CUSTOMER_ID_MAX = 100


def checked_customer_id(pos_customer_id: str) -> str:
    """The id from the path, refused with 400 where the bodies would refuse it: a NUL (the
    database cannot store or compare one: issue 13 found it a 500) or over 100 characters."""
    problem = ""
    if "\x00" in pos_customer_id:
        problem = "The POS customer id contains a NUL character (%00); send the id as text."
    elif len(pos_customer_id) > POS_CUSTOMER_ID_MAX:
        problem = f"The POS customer id is longer than {POS_CUSTOMER_ID_MAX} characters."
    if problem:
        raise ApiError(
            status_code=400,
            code="invalid",
            message=f"pos_customer_id: {problem}",
            fields={"pos_customer_id": problem},
        )
    return pos_customer_id


def get_link_or_404(request: Request, pos_customer_id: str, *, with_points=False) -> PosLink:
    """The link of the caller's retailer: another retailer's customer is simply not found.
    `with_points`: the owner's balance comes in the same query (`link.points_balance`)."""
    checked_customer_id(pos_customer_id)
    client = api_client(request)
    link = find_link(
        retailer=client.retailer,
        pos_system=client.retailer.pos_integration,
        pos_customer_id=pos_customer_id,
        with_points=with_points,
    )
    if link is None:
        raise not_linked(pos_customer_id)
    return link


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# The answers every authenticated operation may give, for the OpenAPI document.
COMMON_ERRORS = {
    400: error("The request is not valid; `fields` says which field and why."),
    401: error("No API key, a wrong one, or a revoked one."),
    414: error("The URL is over about 4 KB (`uri_too_long`): send long lists in a body."),
    429: error(
        "Too many requests for this API key, or too many wrong keys from this address; "
        "retry after `retry_after_seconds`."
    ),
    431: error("A header, or the number of headers, is too large (`headers_too_large`)."),
}
