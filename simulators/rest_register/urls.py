"""The register's pages, under /sandbox/rest-register/ (mounted only while the sandbox is on)."""

from django.urls import path

from .views import astro, sale, store

app_name = "rest_register"

SALE = "sales/<int:sale_id>/"

urlpatterns = [
    path("", store.home, name="home"),
    path("sales/new/", store.new_sale, name="new_sale"),
    path("customers/", store.customers, name="customers"),
    path("queue/", store.queue, name="queue"),
    path("queue/send/", store.send_queue, name="send_queue"),
    path("queue/<int:entry_id>/again/", store.send_again, name="send_again"),
    path("astro/", store.astro_switch, name="astro_switch"),
    path(SALE, sale.sale, name="sale"),
    path(f"{SALE}scan/", sale.scan, name="scan"),
    path(f"{SALE}lines/<int:line_id>/quantity/", sale.line_quantity, name="line_quantity"),
    path(f"{SALE}lines/<int:line_id>/remove/", sale.line_remove, name="line_remove"),
    path(f"{SALE}customer/", sale.customer, name="customer"),
    path(f"{SALE}pay/", sale.pay, name="pay"),
    path(f"{SALE}void/", sale.void, name="void"),
    path(f"{SALE}receipt/", sale.receipt, name="receipt"),
    path(f"{SALE}astro/create/", astro.create_in_astro, name="create_in_astro"),
    path(f"{SALE}astro/find/", astro.find_in_astro, name="find_in_astro"),
    path(f"{SALE}astro/confirm/", astro.confirm_match, name="confirm_match"),
    path(f"{SALE}astro/later/", astro.link_later, name="link_later"),
    path(f"{SALE}astro/unlink/", astro.unlink, name="unlink"),
    path(f"{SALE}redeem/<str:card_id>/", astro.redeem, name="redeem"),
    path(f"{SALE}rewards/<int:reward_id>/", astro.decide, name="decide"),
]
