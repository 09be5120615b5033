"""URLs of the store's books: Reconciliation and the Abandoned cards report."""

from django.urls import path

from loyalty.views import books as views

urlpatterns = [
    path("reports/reconciliation/", views.reconciliation, name="reconciliation"),
    path("reports/reconciliation/run/", views.reconcile_now, name="reconcile_now"),
    path("reports/abandoned-cards/", views.abandoned_cards, name="abandoned_cards"),
    path(
        "reports/abandoned-cards/export/",
        views.abandoned_cards_csv,
        name="abandoned_cards_csv",
    ),
]
