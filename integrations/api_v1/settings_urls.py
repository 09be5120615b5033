"""Settings → POS API, the admin screen (mounted beside the other settings screens)."""

from django.urls import path

from . import filter_views, settings_views

urlpatterns = [
    path("settings/pos-api/", settings_views.api_settings, name="api_settings"),
    path("settings/pos-api/keys/", settings_views.issue, name="api_issue_key"),
    path(
        "settings/pos-api/keys/<int:credential_id>/revoke/",
        settings_views.revoke,
        name="api_revoke_key",
    ),
    path("settings/pos-api/disable/", settings_views.disable, name="api_disable"),
    path(
        "settings/pos-api/locations/<int:location_id>/filter/",
        filter_views.product_filter,
        name="api_product_filter",
    ),
]
