"""The distributors' own calls to Astro: the signed credit-status callback."""

from django.urls import path

from .callback_views import credit_status

urlpatterns = [
    path("distributors/credit-status/", credit_status, name="distributor_credit_status"),
]
