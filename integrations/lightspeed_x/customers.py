"""What the payment flow keeps in the cashier's session between its pages: the register's
preview of a sale (shown while the API has not saved it) and the POS customer of a sale being
linked (for Customer Lookup and the prefilled new-owner form). A few sales each, newest last."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest

from integrations.base import PosCustomer
from loyalty.models import Location

from .payments import RegisterSalePreview

PREVIEWS, CUSTOMERS = "lightspeed_x_previews", "lightspeed_x_customers"
KEEP = 5


def _put(request: HttpRequest, bucket: str, key: str, value: dict) -> None:
    kept = request.session.get(bucket, {})
    kept.pop(key, None)
    kept[key] = value
    request.session[bucket] = dict(list(kept.items())[-KEEP:])


def _key(location: Location, sale_id: str) -> str:
    return f"{location.pk}:{sale_id}"


def remember_preview(request: HttpRequest, location: Location, preview: RegisterSalePreview):
    _put(request, PREVIEWS, _key(location, preview.sale_id), preview.as_session())


def remembered_preview(request: HttpRequest, location: Location, sale_id: str) -> dict | None:
    return request.session.get(PREVIEWS, {}).get(_key(location, sale_id))


def remember_customer(request, location: Location, sale_id: str, customer: PosCustomer) -> None:
    _put(request, CUSTOMERS, _key(location, sale_id), asdict(customer))


def remembered_customer(request: HttpRequest, location: Location, sale_id: str) -> dict | None:
    return request.session.get(CUSTOMERS, {}).get(_key(location, sale_id))


def owner_prefill(customer: dict) -> dict:
    """The new-owner form's initial values (SPEC §4.3: first and last name, email, mobile)."""
    return {
        "first_name": customer["first_name"],
        "last_name": customer["last_name"],
        "email": customer["email"],
        "phone": customer["phone"],
        "address_line": " ".join(filter(None, [customer["address1"], customer["address2"]])),
        "city": customer["city"],
        "state": customer["state"],
        "postal_code": customer["postal_code"],
    }
