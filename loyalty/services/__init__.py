"""Writes: each service is one transaction that checks the rules and persists the result."""
