"""Sandbox URLs, shaped like cloud.lightspeedapp.com (auth) and api.lightspeedapp.com (V3)."""

from django.urls import path

from .views import catalog, oauth, register, sales

app_name = "lightspeed_sandbox"

# R-Series: https://api.lightspeedapp.com/API/V3/Account/{accountID}/... with a .json suffix
# (reference §2.1). The sandbox serves auth and API from one base URL.
ACCOUNT = "API/V3/Account/<str:account_id>/"

urlpatterns = [
    path("auth/oauth/authorize", oauth.authorize, name="authorize"),
    path("auth/oauth/token", oauth.token, name="token"),
    path(f"{ACCOUNT}Sale.json", sales.sales, name="sales"),
    path(f"{ACCOUNT}Sale/<int:sale_id>.json", sales.sale, name="sale"),
    path(f"{ACCOUNT}Customer.json", catalog.customers, name="customers"),
    path(f"{ACCOUNT}Customer/<int:customer_id>.json", catalog.customer, name="customer"),
    path(f"{ACCOUNT}Item.json", catalog.items, name="items"),
    # The register screen a cashier uses, with the Astro Loyalty button (reference §1).
    path("register/", register.register, name="register"),
    path("register/settings/", register.shop_settings, name="register_settings"),
    path("register/<int:sale_id>/", register.register_sale, name="register_sale"),
    path("register/<int:sale_id>/scan/", register.scan, name="register_scan"),
    path("register/<int:sale_id>/customer/", register.customer, name="register_customer"),
    path("register/<int:sale_id>/complete/", register.complete, name="register_complete"),
    path("register/<int:sale_id>/void/", register.void, name="register_void"),
    path(
        "register/<int:sale_id>/lines/<int:line_id>/quantity/",
        register.line_quantity,
        name="register_line_quantity",
    ),
    path(
        "register/<int:sale_id>/lines/<int:line_id>/remove/",
        register.line_remove,
        name="register_line_remove",
    ),
]
