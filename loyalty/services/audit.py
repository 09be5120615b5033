"""Recording manual changes in the audit log."""

from typing import Any

from django.db import models

from loyalty.models import AuditEvent, Retailer, User


def record_audit(
    *,
    retailer: Retailer | None,
    actor: User | None,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        retailer=retailer,
        actor=actor if actor and actor.pk else None,
        action=action,
        target_type=target._meta.model_name or "",
        target_id=str(target.pk),
        data=data or {},
    )
