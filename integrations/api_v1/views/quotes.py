"""POST /api/v1/sales/quote/: the offers an open sale would get, before it is paid (SPEC §5)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from ..offer_quotes import quote_offers
from ..responses import SaleQuoteSerializer
from ..serializers import SaleQuoteInSerializer
from .common import COMMON_ERRORS, api_client


@extend_schema(
    operation_id="sales_quote",
    summary="Quote an open sale: the offers it would get when paid",
    description=(
        "Nothing is recorded. Send the open sale's lines as you would post them; the answer "
        "names each running offer they qualify for and the discount to show on the sale, so "
        "the customer pays the discounted price. Posting the paid sale to POST /api/v1/sales/ "
        "applies the same offers by itself (for a linked customer) and returns their "
        "`reward_id`s. Offers are judged at `completed_at` (now if left out)."
    ),
    request=SaleQuoteInSerializer,
    responses={200: SaleQuoteSerializer, **COMMON_ERRORS},
)
@api_view(["POST"])
def quote(request: Request) -> Response:
    data = SaleQuoteInSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    answer = quote_offers(
        retailer=api_client(request).retailer,
        lines=data.validated_data["lines"],
        at=data.validated_data.get("completed_at") or timezone.now(),
    )
    return Response(SaleQuoteSerializer(answer).data)
