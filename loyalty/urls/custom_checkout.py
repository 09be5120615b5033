"""URLs of the cashier's custom-program actions at checkout: pre-paid visits and cash back."""

from django.urls import path

from loyalty.views import custom_checkout as views

urlpatterns = [
    path("visits/<int:visit_id>/custom/", views.panel, name="custom_checkout_panel"),
    path(
        "owners/<int:owner_id>/custom-balances/",
        views.balances,
        name="custom_checkout_balances",
    ),
    path(
        "visits/<int:visit_id>/prepaid/plans/<int:plan_id>/sell/",
        views.sell_package,
        name="custom_checkout_sell_package",
    ),
    path(
        "visits/<int:visit_id>/prepaid/packages/<int:package_id>/use/",
        views.use_visit,
        name="custom_checkout_use_visit",
    ),
    path(
        "visits/<int:visit_id>/cash-back/<int:plan_id>/add/",
        views.add_cash_back,
        name="custom_checkout_add_cash_back",
    ),
    path(
        "visits/<int:visit_id>/cash-back/<int:plan_id>/redeem/",
        views.redeem_cash_back,
        name="custom_checkout_redeem_cash_back",
    ),
]
