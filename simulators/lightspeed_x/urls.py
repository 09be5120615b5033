"""Sandbox URLs: the consent page (secure.retail.lightspeed.app/connect), and per store what
https://{domain_prefix}.retail.lightspeed.app serves: the token endpoint, the date-versioned API
subset and the register's Sell screen."""

from django.urls import path, re_path

from .views import actions, api, oauth, register

app_name = "lightspeed_x_sandbox"

STORE = "<str:domain_prefix>/"
# Date-based versions such as 2026-04 (docs/versioning-strategy).
API = r"^(?P<domain_prefix>[a-z0-9-]+)/api/(?P<version>\d{4}-\d{2})/"
SALE = STORE + "register/<str:sale_id>/"

urlpatterns = [
    path("connect", oauth.connect, name="connect"),
    path(f"{STORE}api/1.0/token", oauth.token, name="token"),
    re_path(API + r"sales/(?P<sale_id>[^/]+)$", api.sale, name="api_sale"),
    re_path(API + r"sales$", api.sales, name="api_sales"),
    re_path(API + r"products/(?P<product_id>[^/]+)$", api.product, name="api_product"),
    re_path(API + r"customers/(?P<customer_id>[^/]+)$", api.customer, name="api_customer"),
    re_path(API + r"outlets$", api.outlets, name="api_outlets"),
    path(f"{STORE}register/", register.register, name="register"),
    path(f"{STORE}register/settings/", register.store_settings, name="settings"),
    path(SALE, register.sell, name="sale"),
    path(f"{SALE}add/", actions.add, name="add"),
    path(f"{SALE}customer/", actions.customer, name="customer"),
    path(f"{SALE}lines/<str:line_id>/quantity/", actions.quantity, name="quantity"),
    path(f"{SALE}lines/<str:line_id>/remove/", actions.remove, name="remove"),
    path(f"{SALE}pay/", actions.pay, name="pay"),
    path(f"{SALE}cash/", actions.cash, name="cash"),
    path(f"{SALE}park/", actions.park, name="park"),
    path(f"{SALE}void/", actions.void, name="void"),
    path(f"{SALE}return/", actions.start_return, name="return"),
    path(f"{SALE}payment-step/", actions.payment_step, name="payment_step"),
]
