"""Heartland Retail URLs: the POS UI extension and its button (cashiers), Settings (admins)."""

from django.urls import path

from . import connect_views, lookup_views, views

urlpatterns = [
    # What the store adds to Heartland as the POS UI extension, one per location (notes §7).
    path("pos/heartland/<str:token>/extension/", views.extension, name="heartland_extension"),
    # Where the extension's Astro Loyalty button sends the register (SPEC §4).
    path("pos/heartland/<str:token>/", views.button, name="heartland_button"),
    path("pos/heartland/<str:token>/lookup/", lookup_views.lookup, name="heartland_lookup"),
    path("pos/heartland/<str:token>/select/", lookup_views.select_owner, name="heartland_select"),
    path(
        "pos/heartland/<str:token>/new-owner/",
        lookup_views.new_owner,
        name="heartland_new_owner",
    ),
    path("settings/heartland/", connect_views.connection_page, name="heartland_connect"),
    path("settings/heartland/connect/", connect_views.connect, name="heartland_connect_token"),
    path(
        "settings/heartland/locations/",
        connect_views.save_locations,
        name="heartland_locations",
    ),
    path(
        "settings/heartland/disconnect/",
        connect_views.disconnect,
        name="heartland_disconnect",
    ),
]
