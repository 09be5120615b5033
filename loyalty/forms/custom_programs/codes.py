"""The item numbers and UPCs typed into a custom program's form, one per line (SPEC §2)."""

from loyalty.rules.upc import clean_code, describe_code_problem, gtin_key
from loyalty.services.custom_programs import CodeEntry

# SPEC §2 (Item): a 12-, 13- or 14-digit code is a UPC/EAN; anything else is an item number.
GTIN_ENTRY_LENGTHS = (12, 13, 14)


def parse_code_lines(text: str) -> tuple[list[CodeEntry], list[str]]:
    """One code per line, optionally followed by a comma and a description. Returns the entries
    and, for each line that cannot be used, a sentence saying why."""
    entries: list[CodeEntry] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for raw in text.splitlines():
        code, _comma, description = raw.partition(",")
        code, description = " ".join(code.split()), description.strip()[:300]
        if not code:
            continue
        digits = clean_code(code)
        gtin = ""
        if digits.isascii() and digits.isdigit() and len(digits) in GTIN_ENTRY_LENGTHS:
            problem = describe_code_problem(digits)
            if problem:
                problems.append(problem)
                continue
            gtin = gtin_key(digits) or ""
        elif len(code) > 100:
            problems.append(f"An item number has at most 100 characters; {code[:20]}… has more.")
            continue
        entry = CodeEntry(code=digits if gtin else code, gtin=gtin, description=description)
        if entry.key in seen:
            problems.append(_duplicate_message(seen[entry.key], entry))
            continue
        seen[entry.key] = entry.code
        entries.append(entry)
    return entries, problems


def _duplicate_message(first: str, again: CodeEntry) -> str:
    if not again.gtin or first == again.code:
        # Item numbers match whatever their case or spacing, as POS exports differ in both.
        return f"{again.code} is listed twice. List each code once."
    return f"{first} and {again.code} are the same product (a UPC and its EAN form). List it once."


def codes_text(items) -> str:
    """The textarea's text for items already on a program: code, description."""
    lines = []
    for item in items:
        same = item.description == item.code
        lines.append(item.code if same else f"{item.code}, {item.description}")
    return "\n".join(lines)
