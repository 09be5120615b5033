"""CSV files people open in a spreadsheet: every cell written as text, never as a formula.

Owner names come from cashiers and POS data, program names from store admins, so a cell such
as `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` must not run when the file is opened (OWASP: CSV
injection). defusedcsv prefixes a cell starting with = + - @ | % with a quote (plain numbers
such as -5 or 1,000.50 stay numbers); a leading tab or carriage return, which OWASP lists too,
gets the same quote here. Every CSV Astro writes goes through `writer`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any, Protocol

from defusedcsv import csv as defused

# Characters a spreadsheet may strip before reading a formula; defusedcsv leaves them alone.
_LEADING_BLANKS = ("\t", "\r")


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


def text_cell(value: Any) -> Any:
    """The cell as a spreadsheet should show it: a quote before a would-be formula."""
    if isinstance(value, str) and value.startswith(_LEADING_BLANKS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, file: _Writable) -> None:
        self._writer = defused.writer(file)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([text_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file: _Writable) -> _SafeWriter:
    """csv.writer with every cell escaped; `writerow` returns what the file's write returned."""
    return _SafeWriter(file)


# Reading an uploaded CSV (paper-card conversion) runs nothing, so it needs no escaping; it is
# here so that this module stays the only one that touches the csv module.
CsvError = defused.Error


def reader(lines: Iterable[str]) -> Any:
    """csv.reader over the lines of an uploaded file."""
    return defused.reader(lines)


def read_rows(text: str) -> list[list[str]]:
    """An uploaded CSV's rows of cells (a byte-order mark dropped). Reading needs no escaping;
    it lives here so every CSV passes through this module."""
    return list(defused.reader(io.StringIO(text.lstrip("\ufeff"))))
