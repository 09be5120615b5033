"""A location's product filter: which sales link a customer to Astro (SPEC §5, Celerant seed).

Conditions are read left to right, each joined to the result so far by its AND or OR, the way
the POS's filter screen lists them; an empty filter matches every sale."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction

from loyalty.models import Location, User
from loyalty.rules.upc import gtin_key
from loyalty.services.audit import record_audit

from .models import FilterField, FilterJoin, FilterOperator, ProductFilterCondition


@dataclass(frozen=True)
class Condition:
    join: str  # "" for the first, else "and" / "or"
    field: str  # brand, category, upc
    operator: str  # equal, not_equal
    value: str


def _same(field: str, line_value: str, wanted: str) -> bool:
    if field == FilterField.UPC:
        return bool(line_value) and (gtin_key(line_value) or line_value) == (
            gtin_key(wanted) or wanted
        )
    return line_value.strip().casefold() == wanted.strip().casefold()


def _line_values(line: Mapping[str, str], field: str) -> list[str]:
    if field == FilterField.UPC:
        return [line.get("upc", ""), line.get("ean", "")]
    return [line.get(field, "")]


def condition_holds(condition: Condition, line: Mapping[str, str]) -> bool:
    equal = any(
        _same(condition.field, value, condition.value)
        for value in _line_values(line, condition.field)
    )
    return equal if condition.operator == FilterOperator.EQUAL else not equal


def line_passes(conditions: Sequence[Condition], line: Mapping[str, str]) -> bool:
    """Left to right: `a OR b AND c` is `(a OR b) AND c`, as the conditions are listed."""
    if not conditions:
        return True
    result = condition_holds(conditions[0], line)
    for condition in conditions[1:]:
        holds = condition_holds(condition, line)
        result = (result and holds) if condition.join == FilterJoin.AND else (result or holds)
    return result


def sale_passes(conditions: Sequence[Condition], lines: Iterable[Mapping[str, str]]) -> bool:
    """A sale links its customer if any of its products passes the filter."""
    return not conditions or any(line_passes(conditions, line) for line in lines)


def conditions_for(location: Location) -> list[Condition]:
    rows = ProductFilterCondition.objects.filter(location=location).order_by("position")
    return [Condition(r.join, r.field, r.operator, r.value) for r in rows]


def sale_passes_filter(*, location: Location, lines: Iterable[Mapping[str, str]]) -> bool:
    return sale_passes(conditions_for(location), lines)


def describe(conditions: Sequence[Condition]) -> str:
    """The filter as a sentence the admin can read back."""
    if not conditions:
        return "Every customer is linked to Astro, whatever they buy."
    labels = dict(FilterField.choices)
    verbs = dict(FilterOperator.choices)
    parts = []
    for condition in conditions:
        text = f"{labels[condition.field].lower()} {verbs[condition.operator]} {condition.value}"
        if condition.field == FilterField.UPC:
            text = f"UPC {verbs[condition.operator]} {condition.value}"
        parts.append(f"{condition.join.upper()} {text}" if condition.join else text)
    return (
        "A customer is linked to Astro when the sale has a product whose " + " ".join(parts) + "."
    )


@transaction.atomic
def add_condition(*, location: Location, values: Mapping[str, str], actor: User) -> None:
    """Append a condition; the first one has no AND/OR, every later one needs one."""
    rows = ProductFilterCondition.objects.select_for_update().filter(location=location)
    position = len(list(rows))
    join = "" if position == 0 else (values.get("join") or FilterJoin.AND)
    ProductFilterCondition.objects.create(
        location=location,
        position=position,
        join=join,
        field=values["field"],
        operator=values["operator"],
        value=values["value"],
    )
    _audit(location, actor, "api.filter_condition_added")


@transaction.atomic
def remove_condition(*, location: Location, condition_id: int, actor: User) -> bool:
    """Remove one condition and close the gap; the new first condition loses its AND/OR."""
    rows = list(
        ProductFilterCondition.objects.select_for_update()
        .filter(location=location)
        .order_by("position")
    )
    kept = [row for row in rows if row.pk != condition_id]
    if len(kept) == len(rows):
        return False
    ProductFilterCondition.objects.filter(location=location).delete()
    for position, row in enumerate(kept):
        row.pk, row.position = None, position
        row.join = "" if position == 0 else (row.join or FilterJoin.AND)
    ProductFilterCondition.objects.bulk_create(kept)
    _audit(location, actor, "api.filter_condition_removed")
    return True


def _audit(location: Location, actor: User, action: str) -> None:
    record_audit(
        retailer=location.retailer,
        actor=actor,
        action=action,
        target=location,
        data={"filter": describe(conditions_for(location))},
    )
