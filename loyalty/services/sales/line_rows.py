"""Writing a sale's VisitLine rows in one INSERT, a repeated click's too (SPEC §4 step 5, §9: a
sale's queries do not grow with its lines)."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q

from loyalty.models import Item, Visit, VisitLine
from loyalty.models.cards import LineOutcome
from loyalty.selectors.sql_rows import insert, new

# A return line waiting for or given its Remove From Astro FBC click.
RETURN_STATES = (LineOutcome.RETURN_PENDING, LineOutcome.RETURNED, LineOutcome.REOPEN_REQUESTED)
# Only a line that earned something can be counted twice: one that was an Unknown Item before
# (say the store has enrolled since) is matched afresh.
EARNED_STATES = (LineOutcome.PUNCHED, LineOutcome.POSSIBLE_EXISTING, *RETURN_STATES)
REPEAT = {"outcome": LineOutcome.POSSIBLE_EXISTING}


def record_lines(
    visit: Visit, lines: Sequence, items: Sequence[Item | None], outcomes: Sequence[dict]
) -> list[VisitLine]:
    """Insert the lines with their outcomes decided, in order, in one INSERT.

    Most sales are imported once, so the INSERT is tried first. When the once-per-POS-line
    index refuses it, some line was imported by an earlier (or concurrent, now committed)
    click: the first imports are read and the lines go in again as repeats, pointing at them,
    a Possible Existing Transaction where the first one earned something. Should that be
    refused too (a sale repeating a line id), the lines go in one by one."""
    fresh = [
        new(VisitLine, **line_fields(visit, line, item), **outcome)
        for line, item, outcome in zip(lines, items, outcomes, strict=True)
    ]
    if (saved := _insert(fresh)) is not None:
        return saved
    firsts = _first_imports(visit, [line.line_id for line in lines])
    earned = _earned_ids(firsts.values())
    rows = []
    for line, item, outcome in zip(lines, items, outcomes, strict=True):
        first = firsts.get(line.line_id)
        if first is not None and first.pk in earned:
            outcome = REPEAT
        rows.append(new(VisitLine, **line_fields(visit, line, item), first_import=first, **outcome))
    if (saved := _insert(rows)) is not None:
        return saved
    return [
        record_line(visit, line, item, outcome)
        for line, item, outcome in zip(lines, items, outcomes, strict=True)
    ]


def _insert(rows: list[VisitLine]) -> list[VisitLine] | None:
    """The rows in one INSERT, or None (and none of them kept) when a unique index refused one.

    `ON CONFLICT DO NOTHING` instead of a savepoint around the INSERT: two round trips less a
    sale (SPEC §9). A refused row is skipped, not an error, so the transaction goes on; a
    concurrent import of the same line is waited for as the index always made it wait. When a
    row was skipped, the ones inserted with it are deleted again and the caller goes on as it
    did after an IntegrityError. PostgreSQL and SQLite both take the statement."""
    return rows if insert(rows, skip_conflicts=True) else None


def _first_imports(visit: Visit, line_ids: list[str]) -> dict[str, VisitLine]:
    ids = {line_id for line_id in line_ids if line_id}
    if not ids:
        return {}
    firsts = VisitLine.objects.filter(
        retailer_id=visit.retailer_id,
        pos_system=visit.pos_system,
        pos_sale_id=visit.pos_sale_id,
        pos_line_id__in=ids,
        first_import__isnull=True,
    )
    return {line.pos_line_id: line for line in firsts}


def _earned_ids(firsts) -> set[int]:
    """The first imports that earned something, themselves or through a repeat."""
    ids = [first.pk for first in firsts]
    if not ids:
        return set()
    rows = VisitLine.objects.filter(
        Q(pk__in=ids) | Q(first_import__in=ids), outcome__in=EARNED_STATES
    ).values_list("pk", "first_import_id")
    return {first_id or pk for pk, first_id in rows}


def line_fields(visit: Visit, line, item: Item | None) -> dict:
    return {
        "retailer_id": visit.retailer_id,
        "visit": visit,
        "pos_system": visit.pos_system,
        "pos_sale_id": visit.pos_sale_id,
        "pos_line_id": line.line_id,
        "codes": list(line.codes),
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "description": line.description,
        "item": item,
    }


def record_line(visit: Visit, line, item: Item | None, outcome: dict) -> VisitLine:
    """One line on its own (savepointed): a repeat of an earlier import if the index says so."""
    fields = line_fields(visit, line, item)
    try:
        with transaction.atomic():
            return VisitLine.objects.create(**fields, **outcome)
    except IntegrityError:
        first = VisitLine.objects.get(
            retailer_id=visit.retailer_id,
            pos_system=visit.pos_system,
            pos_sale_id=visit.pos_sale_id,
            pos_line_id=line.line_id,
            first_import__isnull=True,
        )
        if _earned_ids([first]):
            outcome = REPEAT
        return VisitLine.objects.create(**fields, first_import=first, **outcome)
