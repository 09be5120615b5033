"""Distributor reports (SPEC §6): the outbox, its payloads, sending and the catch-up."""
