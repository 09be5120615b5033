"""What the POS may ask about its own location: the product filter (SPEC §5)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from ..answers import ProductFilter
from ..product_filter import conditions_for, describe
from ..responses import ProductFilterSerializer
from .common import COMMON_ERRORS, api_client


@extend_schema(
    operation_id="product_filter_read",
    summary="The location's product filter",
    description=(
        "Which sales link a customer to Astro. POST /api/v1/sales/ applies it too: a sale of an "
        "unlinked customer that passes no condition is answered `recorded: false`."
    ),
    responses={200: ProductFilterSerializer, **COMMON_ERRORS},
)
@api_view(["GET"])
def product_filter(request: Request) -> Response:
    conditions = tuple(conditions_for(api_client(request).location))
    answer = ProductFilter(conditions=conditions, sentence=describe(conditions))
    return Response(ProductFilterSerializer(answer).data)


def ping(request: HttpRequest) -> JsonResponse:
    """No key needed: lets a POS (and the benchmark) check it can reach Astro at all."""
    return JsonResponse({"status": "ok"})
