"""URLs of the retailer-facing screens; the admin areas each keep theirs in a module here."""

from django.urls import include, path

from loyalty.views import checkout, credit_files, distributor_reports, finish, owners, settings

urlpatterns = [
    path("", owners.home, name="home"),
    path("owners/", owners.owner_search, name="owner_search"),
    path("owners/<int:owner_id>/", owners.owner_detail, name="owner_detail"),
    path("cards/<int:card_id>/details/", owners.card_details, name="card_details"),
    path("settings/points/", settings.points_settings, name="points_settings"),
    path(
        "reports/redemptions/",
        distributor_reports.redemption_reports_page,
        name="redemption_reports",
    ),
    path(
        "reports/redemptions/<uuid:report_id>/resend/",
        distributor_reports.resend,
        name="resend_report",
    ),
    # SPEC §6 credit status: fix and resubmit a declined claim; the distributor's credit file.
    path(
        "reports/redemptions/<uuid:report_id>/resubmit/",
        distributor_reports.resubmit,
        name="resubmit_report",
    ),
    path("reports/redemptions/credit-file/", credit_files.credit_file, name="credit_file"),
    # The cashier's visit (SPEC §4): checkout screen, its actions, pop-ups, Finish.
    path("visits/<int:visit_id>/", checkout.checkout, name="checkout"),
    path("visits/<int:visit_id>/scan/", checkout.scan, name="checkout_scan"),
    path(
        "visits/<int:visit_id>/lines/<int:line_id>/<slug:action>/",
        checkout.line_action,
        name="checkout_line",
    ),
    path(
        "visits/<int:visit_id>/incorrect-customer/",
        checkout.incorrect_customer,
        name="incorrect_customer",
    ),
    path("visits/<int:visit_id>/points/", checkout.manage_points, name="manage_points"),
    path("visits/<int:visit_id>/enroll/", checkout.enroll, name="checkout_enroll"),
    path("visits/<int:visit_id>/checkout/", finish.checkout_next, name="checkout_next"),
    path("visits/<int:visit_id>/finish/", finish.finish, name="finish"),
    path("visits/<int:visit_id>/redeem/", finish.redeem, name="redeem"),
    path(
        "visits/<int:visit_id>/rewards/<int:redemption_id>/undo/",
        finish.undo_reward,
        name="undo_reward",
    ),
    path(
        "visits/<int:visit_id>/point-rewards/<int:reward_id>/redeem/",
        finish.redeem_point_reward,
        name="redeem_point_reward",
    ),
    path("visits/<int:visit_id>/finished/", finish.finished, name="finished"),
    # Retailer admin areas (SPEC §1, §2, §7).
    path("", include("loyalty.urls.frequent_buyer")),
    path("", include("loyalty.urls.custom_programs")),
    path("", include("loyalty.urls.custom_checkout")),
    path("", include("loyalty.urls.staff")),
    path("", include("loyalty.urls.analytics")),
    path("", include("loyalty.urls.books")),
    path("", include("loyalty.urls.paper_import")),
    # The pet owner's private card page (SPEC §8).
    path("", include("loyalty.urls.card_page")),
    path("", include("loyalty.urls.messages")),
]
