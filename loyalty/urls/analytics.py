"""URLs of Retailer reports: redemptions, custom program participation, points ledger."""

from django.urls import path

from loyalty.views import analytics as views

urlpatterns = [
    path("reports/redemption-history/", views.report_redemptions, name="report_redemptions"),
    path(
        "reports/redemption-history/export/",
        views.report_redemptions_csv,
        name="report_redemptions_csv",
    ),
    path("reports/custom-programs/", views.report_participation, name="report_participation"),
    path(
        "reports/custom-programs/export/",
        views.report_participation_csv,
        name="report_participation_csv",
    ),
    path("reports/points-ledger/", views.points_ledger_search, name="points_ledger_search"),
    path("owners/<int:owner_id>/points/", views.points_ledger, name="points_ledger"),
    path("owners/<int:owner_id>/points/export/", views.points_ledger_csv, name="points_ledger_csv"),
]
