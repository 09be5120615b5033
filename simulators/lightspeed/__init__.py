"""A loopback Lightspeed Retail R-Series V3 sandbox: real HTTP, real JSON quirks, no vendor."""
