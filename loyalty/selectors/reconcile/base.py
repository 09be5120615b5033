"""What a reconcile check takes (the retailer and the time scope) and what it finds."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Scope:
    retailer_id: int
    # Only rows made or touched since then (the --since option); None: everything.
    since: datetime | None = None


@dataclass(frozen=True)
class Discrepancy:
    """One thing that does not add up: the check's name, a sentence, and the rows involved."""

    check: str
    message: str
    # Model name -> ids, e.g. {"card": [12], "purchase": [40, 41]}.
    rows: dict[str, list[Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        rows = {
            name: [str(pk) if not isinstance(pk, int) else pk for pk in ids]
            for name, ids in self.rows.items()
        }
        return {"check": self.check, "message": self.message, "rows": rows}

    def rows_text(self) -> str:
        return "; ".join(
            f"{name} {', '.join(str(pk) for pk in ids)}" for name, ids in self.rows.items()
        )
