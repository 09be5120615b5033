"""Reading a paper-card CSV: the file's checks, each row's values and the words of its problems."""

import io
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from loyalty.presentation.spreadsheet import CsvError, reader

COLUMNS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "program_card",
    "punches",
    "original_dates",
)
MAX_BYTES = 2_000_000
MAX_ROWS = 2000
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
_DATE_SPLIT = re.compile(r"[;,\s]+")


class BadFile(ValueError):
    """The whole file is unusable; str(exc) tells the admin how to fix it. Nothing is kept."""


@dataclass(frozen=True)
class PaperRow:
    """One line of the file, cleaned; `problem` says why it cannot be imported as it is."""

    number: int  # the line in the file (the header is line 1)
    email: str
    phone: str
    first_name: str
    last_name: str
    program_card: str
    punches: int
    dates: tuple[date, ...] = ()
    problem: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class PaperFile:
    rows: list[PaperRow] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 text (with or without Excel's byte-order mark), or BadFile saying what to do."""
    if not data.strip():
        raise BadFile("The file is empty. Download the template, fill in one line per card.")
    if len(data) > MAX_BYTES:
        raise BadFile("The file is larger than 2 MB. Split it into several files.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(
            "The file is not UTF-8 text (is it a spreadsheet, or saved in another encoding?). "
            "In Excel choose Save As, “CSV UTF-8 (Comma delimited)”."
        ) from exc
    if "\x00" in text:
        raise BadFile("The file is not a CSV text file. Save the spreadsheet as CSV UTF-8.")
    return text


def _header(names: list[str]) -> list[str]:
    cleaned = [name.strip().lower().replace(" ", "_") for name in names]
    missing = [name for name in COLUMNS if name not in cleaned]
    unknown = [name for name in cleaned if name and name not in COLUMNS]
    if missing or unknown or len(set(cleaned)) != len(cleaned):
        expected = ",".join(COLUMNS)
        said = []
        if missing:
            said.append("missing " + ", ".join(missing))
        if unknown:
            said.append("unknown " + ", ".join(unknown))
        detail = "; ".join(said) or "a column is there twice"
        raise BadFile(
            f"The first line must be the template's header: {expected} ({detail}). "
            "Download the template and keep its first line."
        )
    return cleaned


def read_file(text: str, *, today: date) -> PaperFile:
    """Every non-blank line as a PaperRow; BadFile for a wrong header or no rows at all."""
    lines = reader(io.StringIO(text, newline=""))
    try:
        header = _header(next(lines, []))
        found = PaperFile()
        for values in lines:
            if not any(value.strip() for value in values):
                continue
            if len(found.rows) >= MAX_ROWS:
                raise BadFile(f"The file has more than {MAX_ROWS} cards. Split it.")
            found.rows.append(read_row(header, values, number=lines.line_num, today=today))
    except CsvError as exc:
        raise BadFile(f"Line {lines.line_num} is not valid CSV ({exc}).") from exc
    if not found.rows:
        raise BadFile("The file has a header but no cards. Add one line per paper card.")
    return found


def read_row(header: list[str], values: list[str], *, number: int, today: date) -> PaperRow:
    cells = dict(zip(header, (value.strip() for value in values), strict=False))
    row = PaperRow(
        number=number,
        email=cells.get("email", ""),
        phone=cells.get("phone", ""),
        first_name=cells.get("first_name", ""),
        last_name=cells.get("last_name", ""),
        program_card=cells.get("program_card", ""),
        punches=0,
    )
    if len(values) != len(header):
        problem = f"The line has {len(values)} values but the header has {len(header)} columns."
        return replace(row, problem=problem)
    punches, problem = _punches(cells["punches"])
    dates: tuple[date, ...] = ()
    if not problem:
        dates, problem = _dates(cells["original_dates"], punches=punches, today=today)
    if not problem and not (row.email or row.phone or row.last_name):
        problem = "Give the pet owner's email, phone or name."
    if not problem and not row.program_card:
        problem = "Give the program card (its name as Frequent Buyer shows it, or a UPC)."
    return replace(row, punches=punches, dates=dates, problem=problem)


def _punches(raw: str) -> tuple[int, str]:
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        return 0, f"Punches must be a whole number of at least 1, not “{raw}”."
    return int(raw), ""


def _dates(raw: str, *, punches: int, today: date) -> tuple[tuple[date, ...], str]:
    found = []
    for part in (p for p in _DATE_SPLIT.split(raw) if p):
        day = parse_date(part)
        if day is None:
            return (), f"Bad date “{part}”: write dates as YYYY-MM-DD or MM/DD/YYYY."
        if day > today:
            return (), f"The date {day.isoformat()} is in the future."
        found.append(day)
    if len(found) > punches:
        return (), f"{len(found)} dates for {punches} punches: give at most one date per punch."
    return tuple(sorted(found)), ""


def parse_date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def card_note(*, batch_id: int, row: int, punches: int, dates: tuple[date, ...], on: date) -> str:
    """SPEC §3, S43: the original dates go in the card notes, never into back-dated punches."""
    what = f"{punches} punch{'es' if punches != 1 else ''}"
    dated = (
        "originally dated " + ", ".join(d.isoformat() for d in dates) if dates else "no dates given"
    )
    return f"Paper card converted {on.isoformat()} (import {batch_id}, row {row}): {what}, {dated}."


def template_rows(card_name: str) -> list[list[str]]:
    """The downloadable template: the header and two example lines."""
    jane = ["jane@example.com", "(555) 010-2233", "Jane", "Doe"]
    sam = ["", "555-010-4455", "Sam", "Lee"]
    return [
        list(COLUMNS),
        [*jane, card_name, "5", "2024-03-02;2024-04-11"],
        [*sam, card_name, "2", ""],
    ]
