"""Reads of the store's settings screens: the loyalty points rewards (SPEC §2)."""

from loyalty.models import PointReward, Retailer


def point_rewards(*, retailer: Retailer) -> list[PointReward]:
    """The store's reward thresholds, active or not, cheapest first."""
    return list(PointReward.objects.filter(retailer=retailer))
