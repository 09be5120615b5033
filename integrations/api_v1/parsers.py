"""JSON bodies that the database can store: no lone surrogate escapes like "\\ud800", and no
nesting deeper than any request of the API has (issue 13: 1,000 levels answered 500)."""

from __future__ import annotations

import json
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# The deepest request body is a sale: object → lines → line (3 levels); 20 leaves room.
MAX_DEPTH = 20
TOO_DEEP = (
    f"The JSON body is nested more than {MAX_DEPTH} levels deep. No request of this API needs "
    "more than 3: check how the body is built."
)


def _depth_within(data: Any, limit: int) -> bool:
    """Whether no list or object in `data` sits more than `limit` levels deep (no recursion)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return False
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return True


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's decoder gives up near 1,000 levels; say what to fix, not a server error.
            raise ParseError(TOO_DEEP) from None
        if not _depth_within(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            # Python reads "\ud800" happily; PostgreSQL cannot store it, so say so up front.
            raise ParseError(
                "The JSON body has text that is not valid Unicode (an unpaired surrogate "
                "escape such as \\ud800). Send text as UTF-8."
            ) from None
        return data
