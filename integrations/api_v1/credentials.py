"""Issuing, checking and revoking a location's API credentials (SPEC §1, issue 6)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from functools import cache

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from loyalty.contracts.registry import is_full_integration, pos_system_label
from loyalty.errors import DomainError
from loyalty.models import Location, Retailer, User
from loyalty.selectors.prepared_cursor import preparing_cursor
from loyalty.selectors.sql_rows import columns, instance, width
from loyalty.services.audit import record_audit

from .models import ApiCredential

# The full integrations that talk to this API (SPEC §1: Pinogy-style and Celerant-style REST).


@dataclass(frozen=True)
class IssuedKey:
    """What the admin sees once: the key itself is never stored."""

    credential: ApiCredential
    key: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_key(key: str) -> tuple[str, str] | None:
    prefix, dot, secret = key.strip().partition(".")
    if not dot or not prefix or not secret or len(prefix) > 16:
        return None
    return prefix, secret


def find_credential(key: str, *, username: str | None = None) -> ApiCredential | None:
    """The active credential this key belongs to, or None. One indexed query, one SHA-256."""
    parts = split_key(key)
    if parts is None:
        return None
    credential = _by_prefix(parts[0])
    if credential is None or not secrets.compare_digest(credential.key_hash, hash_key(key)):
        return None
    if username is not None and not secrets.compare_digest(
        credential.username.encode(),
        username.encode(),  # bytes: a username may be any text
    ):
        return None
    return credential


# Only the models' own column names are joined into the text; the prefix is a parameter.
PREFIX_FROM = """
FROM api_v1_apicredential c
JOIN loyalty_retailer r ON r.id = c.retailer_id
JOIN loyalty_location l ON l.id = c.location_id
WHERE c.key_prefix = %s
"""


@cache
def _prefix_sql() -> str:
    selected = (columns(ApiCredential, "c"), columns(Retailer, "r"), columns(Location, "l"))
    return " ".join(("SELECT", ", ".join(selected), PREFIX_FROM))


def _by_prefix(prefix: str) -> ApiCredential | None:
    """The credential of a (unique) key prefix with its retailer and location, the location's
    retailer being that same one. Written as SQL: every API request starts here, and the ORM
    spent most of this read compiling the query anew each time (SPEC §9)."""
    with preparing_cursor(connection) as cursor:  # prepared on PostgreSQL: planned once
        cursor.execute(_prefix_sql(), [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    split = (width(ApiCredential), width(ApiCredential) + width(Retailer))
    credential = instance(ApiCredential, row[: split[0]])
    retailer = instance(Retailer, row[split[0] : split[1]])
    location = instance(Location, row[split[1] :])
    credential.retailer = retailer
    credential.location = location
    if location.retailer_id == retailer.pk:
        location.retailer = retailer
    return credential


def enable_rest_integration(*, retailer: Retailer, pos_system: str, actor: User | None) -> None:
    """SPEC §1: one POS integration per retailer; turning on a second is refused with why."""
    if not is_full_integration(pos_system):
        raise DomainError("Choose the POS system that will use the API: Pinogy or Celerant.")
    current = retailer.pos_integration
    if current == pos_system:
        return
    if current:
        label = pos_system_label(current)
        raise DomainError(
            f"This store already uses the {label} integration, and a store can use one POS "
            f"integration at a time. Turn the {label} integration off first (for Lightspeed, "
            "ask Astro support), then enable the API again."
        )
    retailer.pos_integration = pos_system
    retailer.save(update_fields=["pos_integration"])
    record_audit(
        retailer=retailer,
        actor=actor,
        action="api.enabled",
        target=retailer,
        data={"pos_system": pos_system},
    )


@transaction.atomic
def issue_key(*, location: Location, actor: User | None, pos_system: str = "") -> IssuedKey:
    """A new username and key for the location; enables the REST integration if asked."""
    retailer = location.retailer
    if pos_system:
        enable_rest_integration(retailer=retailer, pos_system=pos_system, actor=actor)
    if not is_full_integration(retailer.pos_integration):
        raise DomainError(
            "Enable the API for this store first: choose the POS system (Pinogy or Celerant)."
        )
    prefix = secrets.token_hex(6)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    base = slugify(f"{retailer.name}-{location.name}")[:40] or "store"
    credential = ApiCredential.objects.create(
        retailer=retailer,
        location=location,
        username=f"{base}-{secrets.token_hex(3)}",
        key_prefix=prefix,
        key_hash=hash_key(key),
        created_by=actor,
    )
    record_audit(
        retailer=retailer,
        actor=actor,
        action="api.key_issued",
        target=location,
        data={"username": credential.username, "key_prefix": prefix},
    )
    return IssuedKey(credential, key)


@transaction.atomic
def revoke_key(*, credential: ApiCredential, actor: User | None) -> bool:
    """Revoked keys answer 401 from the next request on. False if it was revoked already."""
    revoked = ApiCredential.objects.filter(pk=credential.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        record_audit(
            retailer=credential.retailer,
            actor=actor,
            action="api.key_revoked",
            target=credential.location,
            data={"username": credential.username, "key_prefix": credential.key_prefix},
        )
    credential.refresh_from_db(fields=["revoked_at"])
    return bool(revoked)


@transaction.atomic
def disable_rest_integration(*, retailer: Retailer, actor: User | None) -> int:
    """Turn the REST integration off: every key of the store is revoked. Returns how many."""
    if not is_full_integration(retailer.pos_integration):
        raise DomainError("The API is not enabled for this store.")
    revoked = ApiCredential.objects.filter(retailer=retailer, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    system = retailer.pos_integration
    retailer.pos_integration = ""
    retailer.save(update_fields=["pos_integration"])
    record_audit(
        retailer=retailer,
        actor=actor,
        action="api.disabled",
        target=retailer,
        data={"pos_system": system, "keys_revoked": revoked},
    )
    return revoked
