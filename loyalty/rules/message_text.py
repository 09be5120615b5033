"""The wording of owner messages (SPEC §8): a store's template with a few {placeholders}."""

import re

PLACEHOLDERS = {
    "first_name": "the pet owner's first name",
    "store": "the store's name",
    "card": "the card's name, e.g. Acana Dog Food",
    "progress": "the card's progress, e.g. 11/12",
    "summary": "the visit's punches and points (visit summary only)",
    "link": "the owner's private card page",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]*)\}")
# An SMS over this many characters is several parts; the form warns, it does not refuse.
SMS_PART = 160


def unknown_placeholders(template: str) -> list[str]:
    """Names in braces that are not placeholders, so a typo is caught before it is sent."""
    names = dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(template))
    return [name for name in names if name not in PLACEHOLDERS]


def render_text(template: str, values: dict[str, str]) -> str:
    """Each known {name} replaced by its value; no attribute access, no format specs."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template).strip()
