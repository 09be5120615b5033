"""The login backend: Django's own, with the user's store read in the same query (SPEC §9)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from loyalty.selectors.prepared import PreparedRead


class StoreUserBackend(ModelBackend):
    """Every page asks for the user's store (the header, the store's time zone): reading it
    with the user saves a query on each request of a logged-in user."""

    def get_user(self, user_id):
        # The session's user id, already checked by Django's session hash after this; SQL
        # compiled once per process (a logged-in page's floor, SPEC §9).
        found = _USER_WITH_STORE.objects(_id(user_id))
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None


def _id(user_id) -> int | None:
    """The session stores the id as text; anything else is no user."""
    try:
        return int(user_id)
    except (TypeError, ValueError):
        return None


_USER_WITH_STORE = PreparedRead(
    lambda user_id: get_user_model()._default_manager.select_related("retailer").filter(pk=user_id)
)
