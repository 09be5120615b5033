"""Where a POS connection's rotating OAuth pair lives, shared by the POS clients that refresh.

A client only needs `TokenStore`: read the pair, save a new one, and a lock held while
refreshing, so two workers never spend the same refresh token (X-Series and R-Series both revoke
the old refresh token once a new one is issued). `RowTokenStore` keeps the pair in a connection
row with `access_token`, `refresh_token`, `expires_at` and `updated_at` columns.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from typing import Any, Protocol

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from integrations.base import PosAuthError


class TokenStore(Protocol):
    def load(self) -> tuple[str, str]:
        """The current (access_token, refresh_token); refresh is "" when there is none."""
        ...

    def save(self, access: str, refresh: str, expires_in: int) -> None:
        """Store a freshly issued pair; the old refresh token is dead from now on."""
        ...

    def refresh_lock(self) -> AbstractContextManager[Any]:
        """Held while refreshing, so two workers never spend the same refresh token."""
        ...


class InMemoryTokenStore:
    """A TokenStore for tests and scripts: one process, a threading lock."""

    def __init__(self, access: str, refresh: str = "") -> None:
        self.access, self.refresh = access, refresh
        self.expires_in: int | None = None
        self.saves = 0
        self._lock = threading.Lock()

    def load(self) -> tuple[str, str]:
        return self.access, self.refresh

    def save(self, access: str, refresh: str, expires_in: int) -> None:
        self.access, self.refresh, self.expires_in = access, refresh, expires_in
        self.saves += 1

    @contextmanager
    def refresh_lock(self) -> Iterator[None]:
        with self._lock:
            yield


class RowTokenStore:
    """One connection row as a TokenStore. Every process builds its own store on the same row,
    so nothing is cached: load() reads the row and refresh_lock() is a row lock. Use the client
    outside any transaction of your own, so the new pair commits as soon as it is saved."""

    def __init__(self, model: type[models.Model], row_id: int) -> None:
        self.model, self.row_id = model, row_id

    def _row(self) -> models.QuerySet:
        return self.model.objects.filter(pk=self.row_id)

    def load(self) -> tuple[str, str]:
        pair = self._row().values_list("access_token", "refresh_token").first()
        if pair is None:  # an admin disconnected the store while this request was using it
            raise PosAuthError()
        return pair

    def save(self, access: str, refresh: str, expires_in: int) -> None:
        now = timezone.now()
        self._row().update(
            access_token=access,
            refresh_token=refresh,
            expires_at=now + timedelta(seconds=expires_in) if expires_in else None,
            updated_at=now,
        )

    @contextmanager
    def refresh_lock(self) -> Iterator[None]:
        # SELECT ... FOR UPDATE: a second worker waits here until the first saved the new pair,
        # then re-reads it instead of spending the revoked refresh token.
        with transaction.atomic():
            if connection.vendor == "sqlite":
                # SQLite ignores FOR UPDATE; a no-op UPDATE takes its one write lock instead.
                found = self._row().update(updated_at=F("updated_at"))
            else:
                found = len(self._row().select_for_update().values_list("pk", flat=True))
            if not found:
                raise PosAuthError()
            yield
