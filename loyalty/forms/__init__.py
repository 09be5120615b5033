"""Forms of the retailer's screens, one module per area."""
