"""The sandbox's per-account leaky bucket: what a request costs and whether it may run."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import SandboxAccount

# R-Series: a GET costs 1 drip, a Sale POST/PUT 2 (reference §2.2). load_relations surcharges
# are left out: fractions of a drip make no difference to what the sandbox tests.
READ_COST = 1.0
SALE_WRITE_COST = 2.0


@dataclass(frozen=True)
class BucketState:
    level: float
    capacity: float
    drip_rate: float
    allowed: bool

    @property
    def header(self) -> str:
        """X-LS-API-Bucket-Level, e.g. "12.5/90" (reference §2.2)."""
        return f"{round(self.level, 3):g}/{self.capacity:g}"

    @property
    def retry_after(self) -> int:
        """Whole seconds until the level is below capacity again; at least 1."""
        excess = self.level - self.capacity
        return max(1, math.ceil(excess / self.drip_rate + 1e-9)) if self.drip_rate > 0 else 60


def take(account_pk: int, cost: float) -> BucketState:
    """Drain the bucket for the time passed, then let the request in or refuse it."""
    with transaction.atomic():
        account = SandboxAccount.objects.select_for_update().get(pk=account_pk)
        now = timezone.now()
        elapsed = (now - account.bucket_updated_at).total_seconds()
        level = max(0.0, account.bucket_level - elapsed * account.drip_rate)
        # R-Series: the request that overfills the bucket is still allowed; the ones after it
        # get 429 until the level drops (reference §2.2).
        allowed = level < account.bucket_capacity
        if allowed:
            level += cost
        account.bucket_level = level
        account.bucket_updated_at = now
        account.save(update_fields=["bucket_level", "bucket_updated_at"])
    return BucketState(level, account.bucket_capacity, account.drip_rate, allowed)
