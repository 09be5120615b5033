"""Forms of My Custom Programs (SPEC §2): a module per kind, each message saying what to fix."""
