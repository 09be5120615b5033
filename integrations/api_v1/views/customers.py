"""Mapping POS customers to pet owners and reading their loyalty state (SPEC §5)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from loyalty.access import get_owner_for
from loyalty.selectors.loyalty_read import loyalty_read
from loyalty.selectors.loyalty_state import owners_by_email, owners_with_links
from loyalty.services.api_links import (
    AlreadyLinked,
    create_linked_owner,
    link_existing_owner,
    unlink,
)

from ..errors import ApiError
from ..loyalty_answer import loyalty_body
from ..responses import LinkSerializer, LoyaltySerializer, OwnerSerializer
from ..serializers import CustomerInSerializer, EmailQuerySerializer, LinkInSerializer
from .common import (
    COMMON_ERRORS,
    api_client,
    checked_customer_id,
    error,
    get_link_or_404,
    not_linked,
    pos_system,
)


def already_linked(exc: AlreadyLinked) -> ApiError:
    return ApiError(
        status_code=409,
        code="already_linked",
        message=exc.message,
        astro_id=exc.link.owner_id,
    )


@extend_schema(
    methods=["GET"],
    operation_id="customers_find_by_email",
    summary="Find pet owners by email (Already In Astro)",
    parameters=[EmailQuerySerializer],
    responses={200: OwnerSerializer(many=True), **COMMON_ERRORS},
)
@extend_schema(
    methods=["POST"],
    operation_id="customers_create",
    summary="Create a pet owner from the POS customer and link them",
    request=CustomerInSerializer,
    responses={
        201: OwnerSerializer,
        409: error("That POS customer is already linked; `astro_id` names the owner."),
        **COMMON_ERRORS,
    },
)
@api_view(["GET", "POST"])
def customers(request: Request) -> Response:
    retailer = api_client(request).retailer
    if request.method == "GET":
        query = EmailQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        owners = owners_by_email(retailer=retailer, email=query.validated_data["email"])
        return Response(OwnerSerializer(owners, many=True).data)
    data = CustomerInSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    details = dict(data.validated_data)
    pos_customer_id = details.pop("pos_customer_id")
    try:
        link = create_linked_owner(
            retailer=retailer,
            pos_system=pos_system(request),
            pos_customer_id=pos_customer_id,
            details=details,
        )
    except AlreadyLinked as exc:
        raise already_linked(exc) from exc
    [owner] = owners_with_links(retailer=retailer, owners=[link.owner])
    return Response(OwnerSerializer(owner).data, status=status.HTTP_201_CREATED)


@extend_schema(
    methods=["PUT"],
    operation_id="links_update",
    summary="Link the POS customer to an existing pet owner",
    request=LinkInSerializer,
    responses={
        200: LinkSerializer,
        404: error("No pet owner with that astro_id in this store."),
        409: error("The POS customer is linked to another pet owner; unlink first."),
        **COMMON_ERRORS,
    },
)
@extend_schema(
    methods=["DELETE"],
    operation_id="links_delete",
    summary="Unlink the POS customer",
    responses={204: None, 404: error("The POS customer is not linked."), **COMMON_ERRORS},
)
@api_view(["PUT", "DELETE"])
def link_detail(request: Request, pos_customer_id: str) -> Response:
    if request.method == "DELETE":
        unlink(link=get_link_or_404(request, pos_customer_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
    checked_customer_id(pos_customer_id)
    data = LinkInSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    owner = get_owner_for(api_client(request), data.validated_data["astro_id"])
    try:
        link = link_existing_owner(
            owner=owner, pos_system=pos_system(request), pos_customer_id=pos_customer_id
        )
    except AlreadyLinked as exc:
        raise already_linked(exc) from exc
    return Response(LinkSerializer(link).data)


@extend_schema(
    operation_id="links_loyalty",
    summary="The customer's cards, points and rewards",
    responses={
        200: LoyaltySerializer,
        404: error("The POS customer is not linked."),
        **COMMON_ERRORS,
    },
    parameters=[OpenApiParameter("pos_customer_id", str, OpenApiParameter.PATH)],
)
@api_view(["GET"])
def loyalty(request: Request, pos_customer_id: str) -> Response:
    # Plain rows in one query and the body in one pass (SPEC §9): `LoyaltySerializer`'s body,
    # which the OpenAPI document above names.
    retailer = api_client(request).retailer
    read = loyalty_read(
        retailer_id=retailer.pk,
        pos_system=retailer.pos_integration,
        pos_customer_id=checked_customer_id(pos_customer_id),
    )
    if read is None:
        raise not_linked(pos_customer_id)
    return Response(loyalty_body(*read))
