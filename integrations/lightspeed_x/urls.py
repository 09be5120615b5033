"""Lightspeed X-Series URLs: the payment page the register opens (cashiers), Lightspeed's
webhook, and connecting the store (admins)."""

from django.urls import path

from . import connect_views, customer_views, views, webhook_views

PAY = "pos/lightspeed-x/<str:token>/"
SALE = PAY + "sale/<str:sale_id>/"

urlpatterns = [
    # The Gateway URL of the Astro Loyalty payment type, one per location (SPEC §4).
    path(f"{PAY}pay/", views.gateway, name="lightspeed_x_gateway"),
    path(f"{PAY}sale/", views.receive_sale, name="lightspeed_x_receive_sale"),
    path(f"{PAY}done/", views.done, name="lightspeed_x_done"),
    path(SALE, views.open_sale, name="lightspeed_x_sale"),
    path(f"{SALE}lookup/", customer_views.lookup, name="lightspeed_x_lookup"),
    path(f"{SALE}select/", customer_views.select_owner, name="lightspeed_x_select"),
    path(f"{SALE}new-owner/", customer_views.new_owner, name="lightspeed_x_new_owner"),
    path(
        "pos/lightspeed-x/webhooks/<str:key>/",
        webhook_views.sale_update,
        name="lightspeed_x_webhook",
    ),
    path("settings/lightspeed-x/", connect_views.connection_page, name="lightspeed_x_connect"),
    path("settings/lightspeed-x/outlets/", connect_views.save_outlets, name="lightspeed_x_outlets"),
    path("settings/lightspeed-x/token/", connect_views.personal_token, name="lightspeed_x_token"),
    path(
        "settings/lightspeed-x/authorize/", connect_views.authorize, name="lightspeed_x_authorize"
    ),
    path("settings/lightspeed-x/callback/", connect_views.callback, name="lightspeed_x_callback"),
    path(
        "settings/lightspeed-x/disconnect/",
        connect_views.disconnect,
        name="lightspeed_x_disconnect",
    ),
]
