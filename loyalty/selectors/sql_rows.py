"""Model instances from a hand-written SELECT, and rows in one hand-written INSERT, for the
few reads and writes every POS request makes.

The ORM compiles a query's SQL anew on every request: profiled, the API key's look-up (three
tables joined) spent most of its time there (issue 12, third pass). These reads write their SQL
once; the rows become instances as the ORM would make them, each value through the same
converters (SQLite's datetimes made aware, for one)."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


@cache
def _fields(model: type[Model], vendor: str) -> tuple[tuple[str, ...], tuple]:
    """The model's columns and, per column, (converters, expression) as the ORM applies them."""
    fields = model._meta.concrete_fields
    names = tuple(field.attname for field in fields)
    converters = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        funcs = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append((tuple(funcs), column))
    return names, tuple(converters)


def columns(model: type[Model], alias: str) -> str:
    """`alias.col, ...` for every concrete column of the model, in `instance`'s order."""
    return ", ".join(f"{alias}.{field.column}" for field in model._meta.concrete_fields)


def width(model: type[Model]) -> int:
    return len(model._meta.concrete_fields)


def instance(model: type[M], values) -> M:
    """The model instance of one row's columns (as `columns` listed them)."""
    names, converters = _fields(model, connection.vendor)
    values = list(values)
    for index, (funcs, column) in enumerate(converters):
        for func in funcs:
            values[index] = func(values[index], column, connection)
    return model.from_db(connection.alias, names, values)


def insert(rows: list, *, skip_conflicts: bool = False) -> bool:
    """The rows (unsaved instances of one model) in one INSERT, their ids set, as
    `bulk_create` would; each value through its field's own preparation. Every row they point
    to must be saved before they are made (unlike bulk_create, the ids are not taken again).

    `skip_conflicts`: a row a unique index refuses is skipped (`ON CONFLICT DO NOTHING`)
    instead of failing the transaction; then the rows inserted with it are deleted again and
    False is returned, as if the INSERT had been refused whole."""
    if not rows:
        return True
    model = type(rows[0])
    table = model._meta.db_table
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    names = "(" + ", ".join(str(field.column) for field in fields) + ")"
    values, params = _values(fields, rows)
    tail = "ON CONFLICT DO NOTHING RETURNING id" if skip_conflicts else "RETURNING id"
    with connection.cursor() as cursor:
        cursor.execute(" ".join(("INSERT INTO", table, names, values, tail)), params)
        # A statement's new ids rise in the order of its rows, on both databases.
        ids = sorted(pk for (pk,) in cursor.fetchall())
        if len(ids) < len(rows):
            if ids:
                cursor.execute(" ".join(("DELETE FROM", table, "WHERE id IN", _places(ids))), ids)
            return False
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
        row._state.adding, row._state.db = False, connection.alias
    return True


def _values(fields: list, rows: list) -> tuple[str, list[Any]]:
    """`VALUES (...), (...)`, or on PostgreSQL one array per column (`SELECT * FROM UNNEST`,
    as Django's own compiler writes `bulk_create`): psycopg splits anew, uncached, a statement
    of more than 50 parameters, about a twentieth of a 10-line sale's CPU (SPEC §9), and
    PostgreSQL plans a dozen arrays faster than rows × columns values."""
    if connection.vendor == "postgresql" and len(rows) > 1:
        # The type without its length (varchar[], not varchar(40)[]), as Django casts it.
        casts = [f"(%s)::{field.db_type(connection).split('(')[0]}[]" for field in fields]
        arrays = [[_prepared(field, row) for row in rows] for field in fields]
        return "".join(("SELECT * FROM UNNEST(", ", ".join(casts), ")")), arrays
    params: list[Any] = []
    for row in rows:
        params += [_prepared(field, row) for field in fields]
    return "VALUES " + ", ".join([_places(fields)] * len(rows)), params


def _prepared(field, row) -> Any:
    return field.get_db_prep_save(field.pre_save(row, True), connection)


def _places(values: list) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"
