"""Messages to pet owners (SPEC §8): the outbox written with the punches (outbox.py), the
sending after commit (sending.py), what a message says (compose.py), consent and unsubscribe
(consent.py) and the store's message settings (store.py)."""
