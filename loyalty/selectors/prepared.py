"""Reads whose SQL Django compiles once per process instead of on every request (SPEC §9).

Django builds a query's SQL anew each time it runs it: for the checkout screen's reads that
was about 1,000 Python calls a query, more than reading and converting the rows. A read of a
fixed shape (the same filters, columns and order, only the ids change) is built once with
stand-in ids, its SQL kept with the positions of those ids among its parameters, and later run
with the real ids through the same compiler's column converters, so the rows are exactly the
ORM's `values_list()` rows (the project has one database). The query still goes through the
connection's cursor (query-count tests and the database-unavailable middleware see it).

On PostgreSQL the statement is also prepared on the server, once per connection (psycopg's
prepared statements, `prepared_cursor.py`): Django's cursors bind on the client and PostgreSQL would
plan the same statement anew on every request, 0.1 to 0.5 ms each for the screens' joins, on
the cores the web workers share.

Only for reads whose every argument is an id (or a text key, such as the session's) used as a
plain parameter: `build` must not branch on its arguments' values, nor pass a list of them (an
IN list changes the SQL), and the queryset has no annotations, extra() or prefetch_related()
when read as models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

from loyalty.selectors.prepared_cursor import preparing_cursor
from loyalty.selectors.sql_rows import loaded

# Stand-in ids, far from any real one (negative), to find each argument among the parameters;
# a text argument's stand-in is the same number as text (no real key is a negative number).
_STAND_IN = -7_300_000_000_000
_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1  # a bigint column's range


_M = TypeVar("_M", bound=Model)


class PreparedRead(Generic[_M]):
    """`read = PreparedRead(lambda visit_id: Line.objects.filter(...).values_list(...))`,
    then `read.rows(visit.pk)`: a list of tuples, as list(queryset) would give."""

    def __init__(self, build: Callable[..., QuerySet[_M, Any]]) -> None:
        self._build = build
        self._prepared: dict[str, _Prepared] = {}  # by database alias

    def rows(self, *args: int | str | None, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        if not all(_may_match(arg) for arg in args):
            return []  # no row has such an id (the ORM answers so without asking the database)
        texts = tuple(isinstance(arg, str) for arg in args)
        prepared = self._prepared.get(using)
        if prepared is None or (prepared.vendor, prepared.texts) != (
            connections[using].vendor,
            texts,
        ):
            prepared = self._prepared[using] = _Prepared(self._build, texts, using)
        params = [args[slot.index] if isinstance(slot, _Arg) else slot for slot in prepared.slots]
        with preparing_cursor(connections[using]) as cursor:
            cursor.execute(prepared.sql, params)
            fetched = cursor.fetchall()
        if not prepared.converters:
            return [tuple(row) for row in fetched]
        converted = prepared.compiler.apply_converters(fetched, prepared.converters)
        return [tuple(row) for row in converted]

    def objects(self, *args: int | str | None, using: str = DEFAULT_DB_ALIAS) -> list[_M]:
        """The models of a queryset of models (its select_related ones attached), built from
        the rows as Django's ModelIterable builds them."""
        rows = self.rows(*args, using=using)
        if not rows:
            return []
        compiler = self._prepared[using].compiler
        info, select = compiler.klass_info, compiler.select
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        related = get_related_populators(info, select, using)  # type: ignore[call-arg]  # stubs: Django 6
        found: list[_M] = []
        for row in rows:
            instance = loaded(info["model"], names, row[start:end], using)
            for populator in related:
                populator.populate(row, instance)
            found.append(instance)
        return found


class _Prepared:
    """The compiled SQL of one read, the place of each argument among its parameters, and
    the converters of its columns (JSON, decimals, ... as the ORM applies them)."""

    def __init__(self, build: Callable[..., QuerySet], texts: tuple[bool, ...], using: str) -> None:
        count = len(texts)
        stand_ins: list[int | str] = [
            str(_STAND_IN - n) if text else _STAND_IN - n for n, text in enumerate(texts)
        ]
        compiler = build(*stand_ins).query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        self.slots = [_Arg(stand_ins.index(p)) if p in stand_ins else p for p in params]
        missing = set(range(count)) - {s.index for s in self.slots if isinstance(s, _Arg)}
        if missing:
            raise ValueError(f"PreparedRead: arguments {sorted(missing)} are not parameters")
        self.compiler = compiler
        self.converters = compiler.get_converters(
            [s[0] for s in compiler.select[: compiler.col_count]]
        )
        self.vendor = connections[using].vendor
        self.texts = texts


def _may_match(arg: int | str | None) -> bool:
    if isinstance(arg, str):
        return True
    return arg is not None and _ID_MIN <= arg <= _ID_MAX


class _Arg:
    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index
