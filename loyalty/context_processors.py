"""Template context shared by every page."""

from django.http import HttpRequest


def membership(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_retailer": user.retailer, "is_retail_admin": user.is_retail_admin}
