"""URLs of Retailer reports: redemptions, custom program participation, points ledger."""

urlpatterns: list = []
