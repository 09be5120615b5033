"""The cashier accepts or declines a coupon or a point reward at the POS (SPEC §5)."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from loyalty.access import get_coupon_for, get_point_reward_for
from loyalty.services.coupons import accept_coupon, accept_point_reward
from loyalty.services.points import points_balance

from ..answers import Decision
from ..errors import ApiError
from ..idempotency import fingerprint, header_key, run_once
from ..responses import DecisionSerializer
from .common import COMMON_ERRORS, api_client, error, get_link_or_404
from .sales import IDEMPOTENCY_KEY

DECISION = OpenApiParameter(
    "decision",
    str,
    OpenApiParameter.PATH,
    enum=["accept", "decline"],
    description="What the cashier chose.",
)


def _decision(value: str) -> str:
    if value not in ("accept", "decline"):
        raise ApiError(
            status_code=404,
            code="not_found",
            message="End the path with /accept or /decline.",
        )
    return value


def _once(request: Request, handler: Callable[[], Response]) -> Response:
    """With an Idempotency-Key, a repeat (a register's queued decision sent again after a lost
    answer) returns the first answer instead of spending the reward twice."""
    key = header_key(request.headers.get("Idempotency-Key"))
    if key is None:
        return handler()
    return run_once(
        retailer=api_client(request).retailer,
        keys=[key],
        request_fingerprint=fingerprint(request.path, request.data),
        handler=handler,
    )


@extend_schema(
    operation_id="coupons_decide",
    summary="Accept (apply) or decline a coupon",
    description="Accepting uses the coupon once; declining keeps it for a later visit.",
    parameters=[DECISION, IDEMPOTENCY_KEY],
    request=None,
    responses={
        200: DecisionSerializer,
        404: error("No such coupon for this customer."),
        409: error("The coupon was already used."),
        422: error("The coupon has expired."),
        **COMMON_ERRORS,
    },
)
@api_view(["POST"])
def coupon_decision(request: Request, pos_customer_id: str, coupon_id: int, decision: str):
    decision = _decision(decision)
    return _once(request, lambda: _coupon(request, pos_customer_id, coupon_id, decision))


def _coupon(request: Request, pos_customer_id: str, coupon_id: int, decision: str) -> Response:
    link = get_link_or_404(request, pos_customer_id)
    coupon = get_coupon_for(link.owner, coupon_id)
    balance = points_balance(link.owner)
    if decision == "decline":
        message = "The coupon stays available for a later visit."
        return _answer(Decision("declined", message, balance))
    coupon = accept_coupon(coupon=coupon, location=api_client(request).location)
    return _answer(
        Decision(
            "accepted",
            f"Take {coupon.amount_off:.2f} off the sale.",
            balance,
            reward_id=coupon.reward_id,
            amount_off=coupon.amount_off,
        )
    )


@extend_schema(
    operation_id="point_rewards_decide",
    summary="Accept (redeem) or decline a point reward",
    description="Accepting takes the reward's points off the balance; declining changes nothing.",
    parameters=[DECISION, IDEMPOTENCY_KEY],
    request=None,
    responses={
        200: DecisionSerializer,
        404: error("No such point reward in this store."),
        422: error("Not enough points, or the reward is no longer offered."),
        **COMMON_ERRORS,
    },
)
@api_view(["POST"])
def point_reward_decision(request: Request, pos_customer_id: str, reward_id: int, decision: str):
    decision = _decision(decision)
    return _once(request, lambda: _point_reward(request, pos_customer_id, reward_id, decision))


def _point_reward(request: Request, pos_customer_id: str, reward_id: int, decision: str):
    link = get_link_or_404(request, pos_customer_id)
    reward = get_point_reward_for(api_client(request), reward_id)
    if decision == "decline":
        return _answer(Decision("declined", "No points were used.", points_balance(link.owner)))
    entry = accept_point_reward(
        owner=link.owner, reward=reward, location=api_client(request).location
    )
    balance = points_balance(link.owner)
    message = f"Give “{reward.name}”; {reward.points_required} points used."
    return _answer(Decision("accepted", message, balance, points_spent=-entry.points))


def _answer(decision: Decision) -> Response:
    return Response(DecisionSerializer(decision).data)
