"""Lightspeed URLs: the register button (cashiers) and connecting an account (admins)."""

from django.urls import path

from . import connect, views

urlpatterns = [
    # The "Open web page" button's URL, one per location (SPEC §4).
    path("pos/lightspeed/<str:token>/", views.button, name="lightspeed_button"),
    path("pos/lightspeed/<str:token>/lookup/", views.lookup, name="lightspeed_lookup"),
    path("pos/lightspeed/<str:token>/select/", views.select_owner, name="lightspeed_select"),
    path("pos/lightspeed/<str:token>/new-owner/", views.new_owner, name="lightspeed_new_owner"),
    path("settings/lightspeed/", connect.connection_page, name="lightspeed_connect"),
    path("settings/lightspeed/authorize/", connect.authorize, name="lightspeed_authorize"),
    path("settings/lightspeed/callback/", connect.callback, name="lightspeed_callback"),
]
