"""Model instances from a hand-written SELECT, for the few reads every POS request makes.

The ORM compiles a query's SQL anew on every request: profiled, the API key's look-up (three
tables joined) spent most of its time there (issue 12, third pass). These reads write their SQL
once; the rows become instances as the ORM would make them, each value through the same
converters (SQLite's datetimes made aware, for one)."""

from __future__ import annotations

from functools import cache
from typing import TypeVar

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
