"""The cursor of the prepared reads (prepared.py): on PostgreSQL, statements prepared on the
server once per connection (SPEC §9).

Django's cursors bind their parameters on the client, so PostgreSQL plans every statement anew:
0.1 to 0.5 ms a statement for the screens' joins, on the cores the web workers share. A
prepared read's SQL never changes, so here it is bound on the server and prepared by psycopg
(which keeps the statements per connection, drops them on a rollback and with a closed
connection, and after five runs PostgreSQL keeps a generic plan). Everything else keeps
Django's cursors. The cursor is wrapped as Django wraps its own (database errors, query
logging, execute wrappers), and a logged query shows the same SQL text as Django's would.

psycopg prepares nothing while the connection's `prepare_threshold` is None (Django's default):
`astro_site/env.py` sets it, high enough that nothing is prepared unless asked for by name.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper


def preparing_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor whose statements are prepared on PostgreSQL (psycopg 3); elsewhere Django's."""
    # The wrapper itself, not the `connection` proxy: each attribute through the proxy is a
    # thread-local look-up, and this reads about twenty.
    connection = connections[connection.alias]
    if connection.vendor != "postgresql":
        return connection.cursor()
    # django-stubs do not describe the backend's psycopg 3 names.
    base: Any = import_module("django.db.backends.postgresql.base")
    if not base.is_psycopg3:
        return connection.cursor()
    # What connection.cursor() does, with another psycopg cursor class.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        preparing, logged = _classes()
        raw = preparing(connection.connection)
        loader = raw.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
        if connection.timezone != getattr(loader, "timezone", None):  # as create_cursor does
            base.register_tzloader(connection.timezone, raw)
    connection.validate_thread_sharing()
    if connection.queries_logged:
        return logged(raw, connection)
    return connection.make_cursor(raw)


@cache
def _classes() -> tuple[type, type]:
    """Imported on first use: they need psycopg, which a SQLite-only install may lack."""
    base: Any = import_module("django.db.backends.postgresql.base")

    class PreparingCursor(base.ServerBindingCursor):
        def execute(self, query: Any, params: Any = None, *, prepare: bool = True, **kw: Any):
            return super().execute(query, params, prepare=prepare, **kw)

    class LoggedPreparingCursor(base.CursorDebugWrapper):
        """Logs the SQL as Django's client-bound cursor would show it (psycopg keeps no
        query text for a prepared statement's run)."""

        def execute(self, sql: Any, params: Any = None) -> Any:
            with self.debug_sql(self.db.ops.compose_sql(sql, params)):
                return CursorWrapper.execute(self, sql, params)

    return PreparingCursor, LoggedPreparingCursor
