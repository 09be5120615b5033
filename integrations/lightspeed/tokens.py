"""The TokenStore that keeps a retailer's rotating Lightspeed token pair in its connection row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from integrations.base import PosAuthError
from loyalty.selectors.prepared import PreparedRead

from .models import LightspeedConnection


class DbTokenStore:
    """One LightspeedConnection row as the client's TokenStore (see client.TokenStore).

    Every web process and worker builds its own store on the same row, so nothing is cached:
    load() always reads the row, and refresh_lock() is a row lock. Use the client outside any
    transaction of your own: the lock's transaction must commit the new pair as soon as the
    refresh is done, because Lightspeed has already revoked the old one (reference §2.1).
    """

    def __init__(self, connection_id: int) -> None:
        self.connection_id = connection_id

    def _row(self):
        return LightspeedConnection.objects.filter(pk=self.connection_id)

    def load(self) -> tuple[str, str]:
        pairs = _TOKENS.rows(self.connection_id)
        if not pairs:
            # An admin disconnected the store while this request was using it.
            raise PosAuthError()
        access, refresh = pairs[0]
        return access, refresh

    def save(self, access: str, refresh: str, expires_in: int) -> None:
        now = timezone.now()
        self._row().update(
            access_token=access,
            refresh_token=refresh,
            expires_at=now + timedelta(seconds=expires_in),
            updated_at=now,
        )

    @contextmanager
    def refresh_lock(self) -> Iterator[None]:
        # SELECT ... FOR UPDATE: a second worker waits here until the first has saved the new
        # pair, then re-reads it instead of spending the revoked refresh token.
        with transaction.atomic():
            if connection.vendor == "sqlite":
                # SQLite ignores FOR UPDATE; a no-op UPDATE takes its one write lock instead,
                # so the demo's web and worker processes on one file still queue here.
                found = self._row().update(updated_at=F("updated_at"))
            else:
                found = len(self._row().select_for_update().values_list("pk", flat=True))
            if not found:
                raise PosAuthError()
            yield


# Every call to Lightspeed reads the pair: its SQL is compiled once (SPEC §9).
_TOKENS = PreparedRead(
    lambda connection_id: LightspeedConnection.objects.filter(pk=connection_id).values_list(
        "access_token", "refresh_token"
    )
)
