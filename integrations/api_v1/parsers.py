"""JSON bodies that the database can store: no lone surrogate escapes like "\\ud800"."""

from __future__ import annotations

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            # Python reads "\ud800" happily; PostgreSQL cannot store it, so say so up front.
            raise ParseError(
                "The JSON body has text that is not valid Unicode (an unpaired surrogate "
                "escape such as \\ud800). Send text as UTF-8."
            ) from None
        return data
