"""The distributor's credit file (SPEC §6): a CSV an admin uploads, previewed row by row, then
applied in one transaction. A file with any bad or unmatched row applies nothing."""

from dataclasses import dataclass, field

from django.db import transaction

from loyalty.errors import DomainError
from loyalty.models import (
    AnswerSource,
    DeclineReason,
    DistributorReport,
    ReportState,
    Retailer,
    User,
)
from loyalty.presentation import spreadsheet
from loyalty.rules import credit_status
from loyalty.selectors.distributor_reports import claims_by_key

from .credits import CreditAnswer, answer_report

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
# Column names as the distributor's file spells them (any case); the first of each is ours.
COLUMNS = {
    "claim": ("report id", "report_id", "reward id", "reward_id", "claim"),
    "status": ("status", "credit status"),
    "reason": ("reason", "decline reason"),
    "note": ("note", "notes", "comment"),
    "amount": ("amount", "credit amount", "credited"),
}


@dataclass
class Row:
    line: int
    claim: str
    report: DistributorReport | None = None
    answer: CreditAnswer | None = None
    problem: str = ""
    unchanged: bool = False

    @property
    def reason_label(self) -> str:
        return DeclineReason(self.answer.reason).label if self.answer and self.answer.reason else ""


@dataclass
class CreditFile:
    rows: list[Row] = field(default_factory=list)
    problem: str = ""  # the file as a whole (no such column, too long)

    @property
    def bad_rows(self) -> list[Row]:
        return [row for row in self.rows if row.problem]

    @property
    def ready(self) -> bool:
        return not self.problem and bool(self.rows) and not self.bad_rows


class CreditFileRefused(DomainError):
    def __init__(self, message: str, preview: CreditFile) -> None:
        super().__init__(message)
        self.preview = preview


def preview_credit_file(*, retailer: Retailer, text: str) -> CreditFile:
    """Each row matched to one of the store's claims, or named with what is wrong with it."""
    if len(text.encode()) > MAX_BYTES:
        return CreditFile(problem="The file is over 2 MB: split it.")
    records = spreadsheet.read_rows(text)
    if not records:
        return CreditFile(problem="The file is empty.")
    header = [name.strip().casefold() for name in records[0]]
    where = {key: _column(header, names) for key, names in COLUMNS.items()}
    if where["claim"] is None or where["status"] is None:
        return CreditFile(problem="The first row must name a Report ID (or Reward ID) and Status.")
    body = [(line, record) for line, record in enumerate(records[1:], start=2) if any(record)]
    if len(body) > MAX_ROWS:
        return CreditFile(problem=f"The file has over {MAX_ROWS} rows: split it.")
    claims = claims_by_key(retailer=retailer, keys=[_cell(r, where["claim"]) for _, r in body])
    rows: list[Row] = []
    seen: dict = {}
    for line, record in body:
        row = _row(line, {key: _cell(record, index) for key, index in where.items()}, claims)
        if row.report is not None and not row.problem:
            if (first := seen.setdefault(row.report.pk, line)) != line:
                row.problem = f"The same claim is on line {first} too."
        rows.append(row)
    return CreditFile(rows=rows)


def _row(line: int, cells: dict[str, str], claims: dict) -> Row:
    row = Row(line=line, claim=cells["claim"])
    row.report = claims.get(cells["claim"].casefold())
    status = credit_status.answer_state(cells["status"])
    reason = credit_status.decline_reason(cells["reason"]) if cells["reason"] else ""
    try:
        amount = credit_status.amount(cells["amount"])
    except ValueError as exc:
        row.problem = str(exc)
        return row
    if row.report is None:
        row.problem = f"No claim of this store has the id “{cells['claim']}”."
    elif status is None:
        row.problem = f"Status “{cells['status']}” is not Credited or Declined."
    elif status == ReportState.DECLINED and not reason:
        row.problem = f"“{cells['reason']}” is not a decline reason from the list."
    elif refusal := credit_status.refusal(
        state=row.report.state, revision=row.report.revision, current_revision=row.report.revision
    ):
        row.problem = refusal
    else:
        declined = status == ReportState.DECLINED
        row.answer = CreditAnswer(
            status=status,
            revision=row.report.revision,
            reason=reason if declined and reason else "",
            note=cells["note"][:500],
            amount=None if declined else amount,
        )
        row.unchanged = row.report.state == status and row.report.decline_reason == (
            row.answer.reason
        )
    return row


@transaction.atomic
def apply_credit_file(*, retailer: Retailer, text: str, actor: User) -> CreditFile:
    """Read the file again and apply every row, or (any row bad) none of them."""
    preview = preview_credit_file(retailer=retailer, text=text)
    if not preview.ready:
        raise CreditFileRefused("Nothing was applied: fix the rows named below.", preview)
    for row in preview.rows:
        assert row.report is not None and row.answer is not None  # ready: every row matched
        answer_report(report=row.report, answer=row.answer, source=AnswerSource.FILE, actor=actor)
    return preview


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(name) for name in names if name in header), None)


def _cell(record: list[str], index: int | None) -> str:
    return record[index].strip() if index is not None and index < len(record) else ""
