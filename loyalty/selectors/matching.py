"""Look up sale lines' items and the cards they qualify for, in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Sequence

from django.db import connection

from loyalty.models import Brand, Item, Location, Program, ProgramCard, Retailer
from loyalty.rules.matching import CardOption, LineMatch, decide_match
from loyalty.rules.upc import describe_code_problem, gtin_key, item_number_key, looks_like_gtin

from .prepared_cursor import preparing_cursor
from .sql_rows import any_of, columns, instance, width

# The platform programs a store is enrolled in, for the whole account or at one location
# (parameters: the retailer, the location or None: `= NULL` is never true, so no location
# reads the account's alone). One statement of fixed text, prepared on PostgreSQL; the
# checkout's exception cards read it inside their own (selectors/checkout.py).
ENROLLED_PROGRAM_IDS = """
SELECT e.program_id FROM loyalty_enrollment e
WHERE e.retailer_id = %s AND (e.location_id IS NULL OR e.location_id = %s)
"""


def enrolled_program_ids(*, retailer: Retailer, location: Location | None) -> set[int]:
    """Platform programs the retailer is enrolled in, for the whole account or this location."""
    location_id = location.pk if location is not None else None
    with preparing_cursor(connection) as cursor:
        cursor.execute(ENROLLED_PROGRAM_IDS, [retailer.pk, location_id])
        return {program_id for (program_id,) in cursor.fetchall()}


def find_item(*, retailer: Retailer, codes: Sequence[str]) -> Item | None:
    return find_items(retailer=retailer, lines=[codes])[0]


def find_items(*, retailer: Retailer, lines: Sequence[Sequence[str]]) -> list[Item | None]:
    """The item each line's codes name: GTIN first (UPC-A = EAN-13 with a leading 0), then the
    POS item number. SPEC §2: a retailer's own item never shadows a platform item, so a
    platform item wins over the store's own item with the same code (one saved before such
    codes were refused, say), and the manufacturer's card still punches."""
    gtins = {key for codes in lines for code in codes if (key := gtin_key(code))}
    numbers = {key for codes in lines for code in codes if (key := item_number_key(code))}
    if not gtins and not numbers:
        return [None for _ in lines]
    items = _items_by_code(retailer, sorted(gtins), sorted(numbers))
    by_gtin: dict[str, Item] = {}
    by_number: dict[str, Item] = {}
    for item in sorted(items, key=lambda i: i.retailer_id is not None):  # platform first
        if item.gtin:
            by_gtin.setdefault(item.gtin, item)
        if item.item_number_key:
            by_number.setdefault(item.item_number_key, item)
    return [_pick(codes, by_gtin, by_number) for codes in lines]


def _items_by_code(retailer: Retailer, gtins: list[str], numbers: list[str]) -> list[Item]:
    """The platform's and the store's items with one of these GTINs or item number keys, with
    their brands. One query, its SQL written once and prepared on PostgreSQL (the ORM compiled
    it anew on every sale, and PostgreSQL planned it anew)."""
    split, items = width(Item), []
    with preparing_cursor(connection) as cursor:
        cursor.execute(*items_by_code_statement(retailer, gtins, numbers))
        for row in cursor.fetchall():
            item = instance(Item, row[:split])
            item.brand = instance(Brand, row[split:]) if item.brand_id is not None else None
            items.append(item)
    return items


def items_by_code_statement(
    retailer: Retailer, gtins: list[str], numbers: list[str]
) -> tuple[str, list]:
    """`_items_by_code`'s SELECT and its parameters."""
    by_gtin, gtin_params = any_of(gtins)
    by_number, number_params = any_of(numbers)
    sql = " ".join(
        (
            "SELECT",
            columns(Item, "i") + ", " + columns(Brand, "b"),
            "FROM loyalty_item i LEFT JOIN loyalty_brand b ON b.id = i.brand_id",
            # No code is empty, so neither is a column it matches: saying so lets PostgreSQL
            # plan the prepared statement once for all sales (most items have no item number,
            # and without it the plan counted on every item matching an empty one).
            "WHERE (i.retailer_id IS NULL OR i.retailer_id = %s)",
            "AND ((i.gtin <> '' AND i.gtin",
            by_gtin,
            ") OR (i.item_number_key <> '' AND i.item_number_key",
            by_number,
            ")) ORDER BY i.description",  # Item's own order: the first of a shared item number
        )
    )
    return sql, [retailer.pk, *gtin_params, *number_params]


def _pick(codes: Sequence[str], by_gtin: dict, by_number: dict) -> Item | None:
    for code in codes:
        key = gtin_key(code)
        if key and key in by_gtin:
            return by_gtin[key]
    for code in codes:
        key = item_number_key(code)
        if key and key in by_number:
            return by_number[key]
    return None


def match_lines(
    *, retailer: Retailer, location: Location | None, lines: Sequence[Sequence[str]]
) -> list[tuple[Item | None, LineMatch]]:
    """For each line (its codes), the item found and which card it punches or why not."""
    return match_sale_lines(retailer=retailer, location=location, lines=lines)[0]


def match_sale_lines(
    *, retailer: Retailer, location: Location | None, lines: Sequence[Sequence[str]]
) -> tuple[list[tuple[Item | None, LineMatch]], dict[int, ProgramCard]]:
    """`match_lines`, and every program card a found item qualifies for (its program read
    with it), by id: a sale's import punches them without reading them again."""
    items = find_items(retailer=retailer, lines=lines)
    item_ids = {item.pk for item in items if item}
    options_by_item: dict[int, list[CardOption]] = defaultdict(list)
    program_cards: dict[int, ProgramCard] = {}
    # The brand hint's programs come in the same query, for every found item's brand: only an
    # item that qualifies nowhere asks for one ("its size is not on the card").
    brand_ids = {item.brand_id for item in items if item and item.brand_id}
    rows, brand_programs = _qualifying_cards(retailer, location, item_ids, brand_ids)
    for program_card, item_id, is_enrolled in rows:
        program_card = program_cards.setdefault(program_card.pk, program_card)
        options_by_item[item_id].append(
            CardOption(program_card.pk, program_card.program.name, is_enrolled)
        )
    results = []
    for codes, item in zip(lines, items, strict=True):
        # Only the first GTIN-shaped code (the UPC, the POS's best) can be a mistyped one; a
        # POS's own 12-digit system SKU after it is not a UPC and has no check digit to judge.
        gtin = next((code for code in codes if looks_like_gtin(code)), None)
        problem = describe_code_problem(gtin) if gtin else None
        match = decide_match(
            item_found=item is not None,
            options=options_by_item.get(item.pk, []) if item else [],
            code_problem=problem,
            brand_program=brand_programs.get(item.brand_id) if item and item.brand_id else None,
        )
        results.append((item, match))
    return results, program_cards


# Part 1: active program cards of the platform or of this store that the items qualify for,
# one row per (card, item), by card id, with whether the store may punch it: its own (custom)
# program needs no enrollment; a platform program needs one for the whole store or this
# location. Part 2: the platform's active program cards of the items' brands.
QUALIFYING_FROM = """
FROM loyalty_programcard pc
JOIN loyalty_programcard_qualifying_items q ON q.programcard_id = pc.id
JOIN loyalty_program p ON p.id = pc.program_id
WHERE p.is_active = %s AND (p.retailer_id IS NULL OR p.retailer_id = %s) AND q.item_id
"""
ENROLLED = """
(p.retailer_id = %s OR EXISTS (SELECT 1 FROM loyalty_enrollment e
 WHERE e.program_id = p.id AND e.retailer_id = %s
   AND (e.location_id IS NULL OR e.location_id = %s)))
"""
BRAND_FROM = """
FROM loyalty_programcard pc JOIN loyalty_program p ON p.id = pc.program_id
WHERE p.is_active = %s AND p.retailer_id IS NULL AND p.brand_id
"""


def _qualifying_cards(
    retailer: Retailer, location: Location | None, item_ids: set[int], brand_ids: set[int]
) -> tuple[list[tuple[ProgramCard, int, bool]], dict[int, str]]:
    """(program card with its program, item id, enrolled) rows, and a platform program's name
    for each brand, by brand id. One query, none without items: the enrollments and the brands'
    programs are read in it (SQL written once: the ORM compiled these three reads anew on every
    sale, SPEC §9)."""
    if not item_ids:
        return [], {}
    cards = ", ".join((columns(ProgramCard, "pc"), columns(Program, "p")))
    by_item, item_params = any_of(sorted(item_ids))
    by_brand, brand_params = any_of(sorted(brand_ids))
    location_id = location.pk if location is not None else None
    parts = ["SELECT 1,", cards, ", q.item_id,", ENROLLED, QUALIFYING_FROM, by_item]
    params = [retailer.pk, retailer.pk, location_id, True, retailer.pk, *item_params]
    # Always both parts (no brand matches no row): one statement to prepare on PostgreSQL.
    parts += ["UNION ALL SELECT 2,", cards, ", NULL, NULL", BRAND_FROM, by_brand]
    params += [True, *brand_params]
    parts.append("ORDER BY 1, 2")  # the part, then the program card's id
    split, end = 1 + width(ProgramCard), 1 + width(ProgramCard) + width(Program)
    rows: list[tuple[ProgramCard, int, bool]] = []
    brand_programs: dict[int, str] = {}
    with preparing_cursor(connection) as cursor:
        cursor.execute(" ".join(parts), params)
        for row in cursor.fetchall():
            program = instance(Program, row[split:end])
            if row[0] == 2:
                if program.brand_id is not None:  # always: the part reads brands' programs
                    brand_programs[program.brand_id] = program.name
                continue
            program_card = instance(ProgramCard, row[1:split])
            program_card.program = program
            rows.append((program_card, row[end], bool(row[end + 1])))
    return rows, brand_programs
