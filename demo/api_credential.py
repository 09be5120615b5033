"""The demo's API credential: the same username and key on every seed run (demo only)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from integrations.api_v1.credentials import hash_key
from integrations.api_v1.models import ApiCredential
from loyalty.models import Location

DEMO_USERNAME = "demo-pinogy-api"


def _demo_key(username: str = DEMO_USERNAME) -> str:
    # Derived from SECRET_KEY, so the printed key works after every seed run and differs per
    # deployment; a real key is random and shown once. Each demo API user has its own.
    label = b"astro-demo-api-key" if username == DEMO_USERNAME else f"{username}-key".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), label, hashlib.sha256)
    secret = digest.hexdigest()
    return f"demo{secret[:8]}.{secret[8:]}"


def ensure_demo_credential(location: Location, username: str = DEMO_USERNAME) -> tuple[str, str]:
    """(username, key) of a demo API user of the location, created or repaired idempotently."""
    key = _demo_key(username)
    ApiCredential.objects.update_or_create(
        username=username,
        defaults={
            "retailer": location.retailer,
            "location": location,
            "key_prefix": key.split(".")[0],
            "key_hash": hash_key(key),
            "revoked_at": None,
        },
    )
    return username, key
