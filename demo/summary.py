"""What `seed_demo` reports: one dict (printed as JSON) and its prose form.

Later features add a key in `build_summary` and, if people should see it, a line in `as_text`.
"""

from typing import Any

from django.urls import reverse

from loyalty.models import Location, PetOwner, Retailer
from loyalty.services.card_page import card_page_url

from .lightspeed_x_sandbox import as_text as xseries_text
from .people_data import DEMO_RETAILER, LOCATIONS, LOGINS

# Where `make run` serves the demo unless told otherwise (seed_demo --base-url).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def build_summary(
    *, base_url: str = DEFAULT_BASE_URL, sandbox: dict[str, str] | None = None
) -> dict[str, Any]:
    """`sandbox` is what the Lightspeed sandbox seeding returned, or None when it is off."""
    return {
        "base_url": base_url,
        "logins": _logins(),
        "retailers": _retailers(),
        "locations": _locations(base_url),
        "owners": _owners(),
        "lightspeed_sandbox": sandbox,
        "card_page": _card_page(base_url),
    }


def _card_page(base_url: str) -> dict[str, Any] | None:
    """Sally Pet Owner's private card page (SPEC §8): what a pet owner opens on their phone."""
    sally = PetOwner.objects.filter(retailer__name=DEMO_RETAILER, is_test=True).first()
    if sally is None:
        return None
    return {"owner": sally.full_name, "url": card_page_url(sally, base_url=base_url)}


def _logins() -> dict[str, dict[str, str]]:
    return {
        key: {"username": username, "password": password}
        for key, (username, password, _retailer, _role) in LOGINS.items()
    }


def _retailers() -> list[dict[str, Any]]:
    retailers = Retailer.objects.filter(name__in=list(LOCATIONS)).order_by("pk")
    return [{"name": r.name, "id": r.pk} for r in retailers]


def _locations(base_url: str) -> list[dict[str, Any]]:
    locations = (
        Location.objects.filter(retailer__name__in=list(LOCATIONS))
        .select_related("retailer")
        .order_by("retailer_id", "pk")
    )
    return [
        {
            "retailer": location.retailer.name,
            "name": location.name,
            "id": location.pk,
            "button_token": location.button_token,
            # What the retailer pastes into Lightspeed's Settings → Custom Menus (SPEC §4).
            "lightspeed_button_url": base_url
            + reverse("lightspeed_button", args=[location.button_token]),
        }
        for location in locations
    ]


def _owners() -> dict[str, Any]:
    owners = PetOwner.objects.filter(retailer__name=DEMO_RETAILER)
    sally = owners.filter(is_test=True).first()
    return {"sally_id": sally.pk if sally else None, "count": owners.count()}


def as_text(summary: dict[str, Any]) -> str:
    logins = summary["logins"]
    lines = ["Astro demo data is ready.", ""]
    labels = {
        "admin": "Retailer admin",
        "cashier": "Cashier",
        "platform": "Platform staff (Django admin at /admin/)",
        "other_admin": "Other Pet Shop admin (to see tenant isolation)",
    }
    for key, label in labels.items():
        login = logins[key]
        lines.append(f"  {label}: {login['username']} / {login['password']}")
    lines.append("")
    for retailer in summary["retailers"]:
        names = [loc["name"] for loc in summary["locations"] if loc["retailer"] == retailer["name"]]
        lines.append(f"  {retailer['name']} (id {retailer['id']}): {', '.join(names)}")
    owners = summary["owners"]
    lines += [
        f"  {DEMO_RETAILER} has {owners['count']} pet owners; "
        f"Sally Pet Owner is owner {owners['sally_id']}.",
        "",
        "Astro Loyalty button URLs (Lightspeed: Settings → Custom Menus → Open web page):",
    ]
    for loc in summary["locations"]:
        lines.append(f"  {loc['retailer']}, {loc['name']}: {loc['lightspeed_button_url']}")
    lines.append("")
    sandbox = summary["lightspeed_sandbox"]
    if sandbox:
        lines += [
            f"Lightspeed sandbox register ({DEMO_RETAILER}): {sandbox['register_url']}",
            f"  API {sandbox['api_base']}, account {sandbox['account_id']}, "
            f"bearer token {sandbox['access_token']}",
            "",
        ]
    api = summary.get("api")
    if api:
        lines += [
            f"POS API ({api['retailer']}, full integration): {api['base']}",
            f"  API username {api['username']}, key {api['key']} "
            f"(docs at {summary['base_url']}/api/v1/docs/)",
            "",
        ]
    card_page = summary.get("card_page")
    if card_page and card_page["url"]:
        lines += [f"{card_page['owner']}'s card page (open it on a phone): {card_page['url']}", ""]
    lines += _heartland_text(summary.get("heartland_sandbox"))
    if summary.get("lightspeed_x_sandbox"):
        lines += xseries_text(summary["lightspeed_x_sandbox"])
    register = summary.get("rest_register_sandbox")
    if register:
        lines += [
            f"Full-integration register ({register['store']}, calls the POS API): "
            f"{register['register_url']}",
            f"  Astro queue {register['queue_url']}; scheduled task: "
            f"{register['send_queue_command']}",
            "",
        ]
    lines.append(f"Open {summary['base_url']}/ and log in.")
    return "\n".join(lines)


def _heartland_text(heartland: dict[str, Any] | None) -> list[str]:
    if not heartland:
        return []
    logins = heartland["logins"]
    return [
        f"Heartland Retail sandbox register ({heartland['retailer']}): {heartland['register_url']}",
        f"  Logins: admin {logins['admin']['username']} / {logins['admin']['password']}, "
        f"cashier {logins['cashier']['username']} / {logins['cashier']['password']}",
        f"  API {heartland['api_base']}, API token {heartland['api_token']}",
        f"  POS UI extension URL: {heartland['extension_url']}",
        "",
    ]
