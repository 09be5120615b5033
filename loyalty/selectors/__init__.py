"""Reads shaped for screens, reports and the POS API: one module per area, scoped by retailer."""
