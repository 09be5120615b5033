"""Heartland Retail (formerly Springboard Retail): the POS UI extension that opens Astro for the
ticket on the register, and the REST API Astro reads that ticket from (docs/heartland.md)."""
