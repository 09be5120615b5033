"""Reads for the retailer's Reports (SPEC §7): redemption history, custom program participation
and the points ledger.

Every read is scoped by `retailer=` and leaves out Sally Pet Owner (SPEC §3: a test account).
Totals and chart series are aggregated in the database (one grouped query per source), so a
screen runs the same number of queries for 1 row or 100,000.

Modules by concern: filters (the GET form, its date range and choices), redemptions (the
redemption history report), participation (custom program participation), ledger (the points
ledger). The names below are the ones the views import.
"""

from loyalty.selectors.analytics.filters import (
    custom_programs,
    parse_filters,
    store_distributors,
    store_locations,
    store_programs,
)
from loyalty.selectors.analytics.ledger import points_ledger
from loyalty.selectors.analytics.participation import participation_report
from loyalty.selectors.analytics.redemptions import (
    EXPORT_FIELDS,
    redemption_export,
    redemption_report,
    redemption_rows,
)

__all__ = [
    "EXPORT_FIELDS",
    "custom_programs",
    "parse_filters",
    "participation_report",
    "points_ledger",
    "redemption_export",
    "redemption_report",
    "redemption_rows",
    "store_distributors",
    "store_locations",
    "store_programs",
]
