"""Template context shared by every page."""

from django.http import HttpRequest

from loyalty.contracts.registry import pos_settings_links


def membership(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    retailer = user.retailer
    links = pos_settings_links(retailer) if retailer is not None and user.is_retail_admin else []
    return {
        "current_retailer": retailer,
        "is_retail_admin": user.is_retail_admin,
        "pos_settings_links": links,
    }
