"""Model instances from a hand-written SELECT, and rows in one hand-written INSERT, for the
few reads and writes every POS request makes.

The ORM compiles a query's SQL anew on every request: profiled, the API key's look-up (three
tables joined) spent most of its time there (issue 12, third pass). These reads write their SQL
once; the rows become instances as the ORM would make them, each value through the same
converters (SQLite's datetimes made aware, for one)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

from loyalty.selectors.prepared_cursor import preparing_cursor

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


@cache
def columns(model: type[Model], alias: str) -> str:
    """`alias.col, ...` for every concrete column of the model, in `instance`'s order (worked
    out once: the sale's hand-written statements ask for it on every request)."""
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


def new(model: type[M], **values: Any) -> M:
    """`model(**values)`: an unsaved instance, for the rows a sale writes in bulk (its lines,
    its punches). Model.__init__ and the related-object descriptor it sets each object through
    were a sixth of a 10-line API sale's Python (issue 12). A related object is cached and
    its id taken as the descriptor does (a still unsaved one leaves the id None, for `insert`
    to take later); a field not given gets its default. Anything else (a model `loaded`
    leaves to from_db, a one-to-one field, a property given by name) goes through __init__."""
    fields = _new_fields(model)
    if fields is None or _signalled(model) or not values.keys() <= fields.keys():
        return model(**values)
    row = model.__new__(model)
    state = row._state = ModelState()
    cached = state.fields_cache = {}
    attributes = row.__dict__
    for key, (attname, default, is_object) in fields.items():
        if key in values:
            value = values[key]
            if is_object:
                cached[key] = value
                value = None if value is None else value.pk
            attributes[attname] = value
        elif not is_object and attname not in attributes:
            attributes[attname] = default()
    return row


@cache
def _new_fields(model: type[Model]) -> dict[str, tuple[str, Any, bool]] | None:
    """Each keyword `new` takes (a field's attname, and a foreign key's name too): the attname
    it sets, the field's default, and whether it is the related object; None when the model
    needs its __init__. A foreign key's name comes before its attname."""
    meta = model._meta
    if _own_loading(model) or list(meta.fields) != list(meta.concrete_fields):
        return None
    fields: dict[str, tuple[str, Any, bool]] = {}
    for field in meta.concrete_fields:
        if field.generated:
            return None
        if field.is_relation:
            if not isinstance(field, models.ForeignKey) or field.one_to_one:
                return None
            if not field.target_field.primary_key:
                return None
            fields[field.name] = (field.attname, None, True)
        fields[field.attname] = (field.attname, field.get_default, False)
    return fields


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
    # Prepared on PostgreSQL: the statement of a model's rows is one text however many rows
    # there are (one array a column), so the server plans it once a connection.
    with preparing_cursor(db) as cursor:
        cursor.execute(" ".join((table.head, values, tail)), params)
        # A statement's new ids rise in the order of its rows, on both databases.
        ids = sorted(pk for (pk,) in cursor.fetchall())
    if len(ids) < len(rows):
        if ids:
            with db.cursor() as cursor:
                cursor.execute(
                    " ".join(("DELETE FROM", table.name, "WHERE id IN", _places(ids))), ids
                )
        return False
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
        row._state.adding, row._state.db = False, db.alias
    return True


class _Column(NamedTuple):
    field: Any
    attname: str
    plain: type | None  # int or str: a value of exactly this type is sent as it is
    null: bool
    element: Callable[[Any], str | None] | None  # a value's text in an array, or None


class _Table(NamedTuple):
    name: str
    head: str  # INSERT INTO table (columns)
    columns: tuple[_Column, ...]
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
        columns=tuple(_Column(f, f.attname, _plain_type(f), f.null, _element(f)) for f in fields),
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
    if db.vendor == "postgresql" and len(rows) > 1:
        return table.unnest, [_array(column, rows, db) for column in table.columns]
    arrays = [_column(column, rows, db) for column in table.columns]
    params = [value for row_values in zip(*arrays, strict=True) for value in row_values]
    return "VALUES " + ", ".join([_places(table.columns)] * len(rows)), params


def _column(column: _Column, rows: list, db) -> list[Any]:
    """The column's value of each row, as its field prepares it for the database."""
    field, attname, plain, null, _element = column
    values = [getattr(row, attname) for row in rows]
    if plain is not None and all(type(v) is plain or (v is None and null) for v in values):
        return values  # what the field's own preparation gives such values back unchanged
    return [field.get_db_prep_save(field.pre_save(row, True), db) for row in rows]


def _array(column: _Column, rows: list, db) -> Any:
    """The column as PostgreSQL's text of an array (`{1,NULL}`, `{"a","b\\"c"}`), which the
    statement casts to the column's array type, when each value is one its field would send
    as it is (`_element`); otherwise the list its field prepares. psycopg writes a list's text
    value by value in Python (its type, then quotes and escapes), and each value's way
    through its field was more: together a fifth of a 10-line sale's Python (issue 12)."""
    _field, attname, _plain, null, element = column
    if element is not None:
        texts = [
            "NULL" if value is None and null else element(value)
            for value in [getattr(row, attname) for row in rows]
        ]
        if None not in texts:
            return "{" + ",".join(texts) + "}"  # type: ignore[arg-type]
    return _column(column, rows, db)


def _element(field) -> Callable[[Any], str | None] | None:
    """How a value of the field is written in an array's text, or None where a value of the
    simple type is not sure to be written as its field would prepare it: each function gives
    None for a value of any other type, which then goes through the field."""
    plain = _plain_type(field)
    if plain is not None:
        return _int_element if plain is int else _str_element
    kind = type(field)
    if kind is models.DateTimeField and not (field.auto_now or field.auto_now_add):
        return _datetime_element  # an auto_now field's pre_save sets the time itself
    if kind is models.JSONField and field.encoder is None:
        return _json_element
    return {models.DecimalField: _decimal_element, models.BooleanField: _bool_element}.get(kind)


def _int_element(value: Any) -> str | None:
    return str(value) if type(value) is int else None


def _str_element(value: Any) -> str | None:
    # A text choice (an enum member) is a str, and its field sends it as its value.
    return _quoted(str.__str__(value)) if isinstance(value, str) else None


def _decimal_element(value: Any) -> str | None:
    return str(value) if type(value) is Decimal and value.is_finite() else None


def _datetime_element(value: Any) -> str | None:
    # Only an aware time: the field makes a naive one aware (with a warning) first.
    aware = type(value) is datetime and value.utcoffset() is not None
    return '"' + value.isoformat() + '"' if aware else None


def _bool_element(value: Any) -> str | None:
    return ("t" if value else "f") if type(value) is bool else None


def _json_element(value: Any) -> str | None:
    # None is SQL NULL to a JSONField; any other value is sent as its json.dumps, as here.
    return None if value is None else _quoted(json.dumps(value))


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
