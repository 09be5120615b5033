"""Writes of the store's own settings (SPEC §2), each one audited like every manual change."""

from django.db import transaction

from loyalty.models import Retailer, User

from .audit import record_audit

POINTS_SETTINGS_FIELDS = ("points_events", "points_basis", "points_per_dollar")


@transaction.atomic
def save_points_settings(*, retailer: Retailer, values: dict, actor: User) -> Retailer:
    """Settings > Loyalty points: how points are given, on what and at what rate; audited."""
    for name in POINTS_SETTINGS_FIELDS:
        setattr(retailer, name, values[name])
    retailer.save(update_fields=POINTS_SETTINGS_FIELDS)
    record_audit(
        retailer=retailer,
        actor=actor,
        action="settings.points_changed",
        target=retailer,
        data={name: str(values[name]) for name in POINTS_SETTINGS_FIELDS},
    )
    return retailer


@transaction.atomic
def save_store_logo(*, retailer: Retailer, values: dict, actor: User) -> Retailer:
    """Settings → Card page: a new logo, or none (`remove`); audited."""
    old = retailer.logo.name if retailer.logo else ""
    if values.get("logo"):
        retailer.logo.save(values["logo"].name, values["logo"], save=False)
    elif values.get("remove"):
        retailer.logo = ""
    retailer.save(update_fields=["logo"])
    record_audit(
        retailer=retailer,
        actor=actor,
        action="settings.logo_changed",
        target=retailer,
        data={"old": old, "new": retailer.logo.name if retailer.logo else ""},
    )
    return retailer
