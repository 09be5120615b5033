"""A loopback Heartland Retail sandbox: the REST API subset Astro reads, with its shapes and
quirks, and a POS register page that shows a UI extension the way the real POS does."""
