"""The login backend: Django's own, with the user's store read in the same query (SPEC §9)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class StoreUserBackend(ModelBackend):
    """Every page asks for the user's store (the header, the store's time zone): reading it
    with the user saves a query on each request of a logged-in user."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("retailer").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
