"""Sandbox URLs. /sandbox/heartland/ stands for https://{subdomain}.retail.heartland.us: the API
under api/ and the POS under pos/, as on the real host (docs/heartland.md §1, §7)."""

from django.urls import path

from .views import api, register

app_name = "heartland_sandbox"

urlpatterns = [
    path("api/", api.api_root, name="api_root"),
    path("api/sales/tickets", api.tickets, name="tickets"),
    path("api/sales/tickets/<int:ticket_id>", api.ticket, name="ticket_api"),
    path("api/sales/tickets/<int:ticket_id>/lines", api.ticket_lines, name="ticket_lines"),
    path("api/customers/<int:customer_id>", api.customer, name="customer"),
    path(
        "api/customers/<int:customer_id>/addresses",
        api.customer_addresses,
        name="customer_addresses",
    ),
    path("api/locations", api.locations, name="locations"),
    path("api/items/<int:item_id>", api.item, name="item"),
    # The register a cashier uses, which shows the UI extension on each ticket.
    path("pos/", register.register, name="register"),
    path("pos/settings/", register.extension_settings, name="settings"),
    path("pos/tickets/<int:ticket_id>/", register.ticket_page, name="ticket"),
    path("pos/tickets/<int:ticket_id>/scan/", register.scan, name="scan"),
    path("pos/tickets/<int:ticket_id>/customer/", register.customer, name="customer_set"),
    path("pos/tickets/<int:ticket_id>/pay/", register.pay, name="pay"),
    path("pos/tickets/<int:ticket_id>/void/", register.void, name="void"),
    path("pos/tickets/<int:ticket_id>/hold/", register.hold, name="hold"),
    path(
        "pos/tickets/<int:ticket_id>/lines/<int:line_id>/qty/", register.line_qty, name="line_qty"
    ),
    path(
        "pos/tickets/<int:ticket_id>/lines/<int:line_id>/remove/",
        register.line_remove,
        name="line_remove",
    ),
]
