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


def get_link_or_404(request: Request, pos_customer_id: str, *, with_points=False) -> PosLink:
    """The link of the caller's retailer: another retailer's customer is simply not found.
    `with_points`: the owner's balance comes in the same query (`link.points_balance`)."""
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
    429: error("Too many requests for this API key; retry after `retry_after_seconds`."),
}
