"""Model instances from a hand-written SELECT, and rows in one hand-written INSERT, for the
few reads and writes every POS request makes.

The ORM compiles a query's SQL anew on every request: profiled, the API key's look-up (three
tables joined) spent most of its time there (issue 12, third pass). These reads write their SQL
once; the rows become instances as the ORM would make them, each value through the same
converters (SQLite's datetimes made aware, for one)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

M = TypeVar("M", bound=Model)


def _db():
    """The default database's own wrapper: through the `connection` proxy every attribute is a
    thread-local look-up, about 200 of them a 10-line sale (issue 12)."""
    return connections[DEFAULT_DB_ALIAS]


@cache
def _fields(model: type[Model], vendor: str) -> tuple[tuple[str, ...], tuple]:
    """The model's columns and (index, converters, expression) of each column that has
    converters, as the ORM applies them."""
    db = _db()
    fields = model._meta.concrete_fields
    names = tuple(field.attname for field in fields)
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        funcs = db.ops.get_db_converters(column) + column.get_db_converters(db)
        if funcs:
            converters.append((index, tuple(funcs), column))
    return names, tuple(converters)


def columns(model: type[Model], alias: str) -> str:
    """`alias.col, ...` for every concrete column of the model, in `instance`'s order."""
    return ", ".join(f"{alias}.{field.column}" for field in model._meta.concrete_fields)


def width(model: type[Model]) -> int:
    return len(model._meta.concrete_fields)


def instance(model: type[M], values) -> M:
    """The model instance of one row's columns (as `columns` listed them)."""
    db = _db()
    names, converters = _fields(model, db.vendor)
    values = list(values)
    for index, funcs, column in converters:
        for func in funcs:
            values[index] = func(values[index], column, db)
    return loaded(model, names, values, db.alias)


def loaded(model: type[M], names: Sequence[str], values: Sequence, alias: str) -> M:
    """`model.from_db(alias, names, values)`: a column not among the names is deferred.

    Model.__init__ sets each value through its attribute (an id through the descriptor that
    drops a cached related object, which a new instance has none of) and sends pre_init and
    post_init: about a tenth of a button click's Python, 145 instances (issue 12). A model
    with neither its own way of building instances nor a receiver of those signals gets the
    same instance with its values put in place at once; any other goes through from_db."""
    if _own_loading(model) or _signalled(model):
        return model.from_db(alias, names, values)
    row = model.__new__(model)
    state = row._state = ModelState()
    state.adding, state.db = False, alias
    row.__dict__.update(zip(names, values, strict=True))
    return row


@cache
def _own_loading(model: type[Model]) -> bool:
    """True when the model builds its instances its own way: its own __init__ or from_db, or
    a field whose attribute does more than keep the value (a file's, say)."""
    if model.__init__ is not Model.__init__:
        return True
    if getattr(model.from_db, "__func__", None) is not _FROM_DB:
        return True
    attributes = (type(getattr(model, f.attname)) for f in model._meta.concrete_fields)
    return not all(kind in _PLAIN_ATTRIBUTES for kind in attributes)


_FROM_DB = Model.from_db.__func__  # type: ignore[attr-defined]
_PLAIN_ATTRIBUTES = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _signalled(model: type[Model]) -> bool:
    if not (signals.pre_init.receivers or signals.post_init.receivers):
        return False  # the project's case: asking each signal per model was 3 % of a click
    return signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)


def insert(rows: list, *, skip_conflicts: bool = False) -> bool:
    """The rows (unsaved instances of one model) in one INSERT, their ids set, as
    `bulk_create` would; each value through its field's own preparation. A row they point to
    that was saved after it was assigned (a card new in this sale) gives its id now, as
    bulk_create takes it; one still unsaved is refused (ValueError), as bulk_create refuses it.

    `skip_conflicts`: a row a unique index refuses is skipped (`ON CONFLICT DO NOTHING`)
    instead of failing the transaction; then the rows inserted with it are deleted again and
    False is returned, as if the INSERT had been refused whole."""
    if not rows:
        return True
    db = _db()
    model: type[Model] = type(rows[0])
    table = _table(model, db.vendor)
    _take_related_ids(rows, table.relations)
    values, params = _values(table, rows, db)
    tail = "ON CONFLICT DO NOTHING RETURNING id" if skip_conflicts else "RETURNING id"
    with db.cursor() as cursor:
        cursor.execute(" ".join((table.head, values, tail)), params)
        # A statement's new ids rise in the order of its rows, on both databases.
        ids = sorted(pk for (pk,) in cursor.fetchall())
        if len(ids) < len(rows):
            if ids:
                cursor.execute(
                    " ".join(("DELETE FROM", table.name, "WHERE id IN", _places(ids))), ids
                )
            return False
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
        row._state.adding, row._state.db = False, db.alias
    return True


class _Table(NamedTuple):
    name: str
    head: str  # INSERT INTO table (columns)
    columns: tuple[tuple[Any, str, type | None, bool], ...]  # field, attname, plain type, null
    relations: tuple[Any, ...]
    unnest: str  # SELECT * FROM UNNEST(one typed array per column), on PostgreSQL


@cache
def _table(model: type[Model], vendor: str) -> _Table:
    """What an INSERT of the model's rows needs, worked out once (its field's `db_type` alone
    was a twentieth of a 10-line sale's CPU)."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    name = model._meta.db_table
    head = f"INSERT INTO {name} (" + ", ".join(str(field.column) for field in fields) + ")"
    # The type without its length (varchar[], not varchar(40)[]), as Django casts it.
    casts = [f"(%s)::{str(field.db_type(_db())).split('(')[0]}[]" for field in fields]
    return _Table(
        name=name,
        head=head,
        columns=tuple((f, f.attname, _plain_type(f), f.null) for f in fields),
        relations=tuple(field for field in fields if field.is_relation),
        unnest="".join(("SELECT * FROM UNNEST(", ", ".join(casts), ")")),
    )


def _take_related_ids(rows: list, relations: tuple) -> None:
    for field in relations:
        for row in rows:
            if getattr(row, field.attname) is None and field.is_cached(row):
                related = field.get_cached_value(row)
                if related is None:
                    continue
                if related.pk is None:
                    raise ValueError(f"{field.name} of a {type(row).__name__} is not saved yet.")
                setattr(row, field.attname, related.pk)


def _values(table: _Table, rows: list, db) -> tuple[str, list[Any]]:
    """`VALUES (...), (...)`, or on PostgreSQL one array per column (`SELECT * FROM UNNEST`,
    as Django's own compiler writes `bulk_create`): psycopg splits anew, uncached, a statement
    of more than 50 parameters, about a twentieth of a 10-line sale's CPU (SPEC §9), and
    PostgreSQL plans a dozen arrays faster than rows × columns values."""
    columns = [_column(column, rows, db) for column in table.columns]
    if db.vendor == "postgresql" and len(rows) > 1:
        return table.unnest, [_array_text(values, plain) for values, plain in columns]
    arrays = [values for values, _plain in columns]
    params = [value for row_values in zip(*arrays, strict=True) for value in row_values]
    return "VALUES " + ", ".join([_places(table.columns)] * len(rows)), params


def _column(column: tuple, rows: list, db) -> tuple[list[Any], type | None]:
    """The column's value of each row, as its field prepares it for the database, and their
    plain type (int or str) when every value is one as it is (or None)."""
    field, attname, plain, null = column
    values = [getattr(row, attname) for row in rows]
    if plain is not None and all(type(v) is plain or (v is None and null) for v in values):
        return values, plain  # what the field's own preparation gives such values back unchanged
    return [field.get_db_prep_save(field.pre_save(row, True), db) for row in rows], None


def _array_text(values: list, plain: type | None) -> Any:
    """A column of ints or strs as PostgreSQL's text of an array (`{1,NULL}`, `{"a","b\\"c"}`),
    which the statement casts to the column's array type; any other column as its list.
    psycopg writes a list's text value by value in Python (its type, then quotes and escapes):
    a twentieth of a 10-line sale's Python, issue 12."""
    if plain is int:
        return "{" + ",".join("NULL" if v is None else str(v) for v in values) + "}"
    if plain is str:
        return "{" + ",".join("NULL" if v is None else _quoted(v) for v in values) + "}"
    return values


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Fields whose `pre_save` reads the attribute and whose preparation returns a value of this
# exact type as it is (an int for an integer column or an id, a str for text): the field's
# call chain was about 140 calls a 10-line sale's lines, a twelfth of its Python (issue 12).
# An enum member, a bool, a Decimal, a date or a list still goes through the field.
_PLAIN: dict[type, type] = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
}


def _plain_type(field) -> type | None:
    if type(field) is models.ForeignKey:
        target = field.target_field  # an id is prepared by the field it points to
        return int if isinstance(target, (models.AutoField, models.BigAutoField)) else None
    return _PLAIN.get(type(field))


def _places(values: Sequence) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def any_of(values: list) -> tuple[str, list[Any]]:
    """`IN (...)` as SQL whose text does not change with the number of values: on PostgreSQL
    `= ANY(%s)` with one array, so that the statement can be prepared (prepared_cursor.py);
    SQLite, which has no arrays, gets the IN list. An empty list matches nothing."""
    if _db().vendor == "postgresql":
        return "= ANY(%s)", [list(values)]
    return ("IN " + _places(values) if values else "IN (NULL)"), list(values)
