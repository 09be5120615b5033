"""Card windows: a card must be completed within N months of its first punch, or it expires."""

import calendar
from datetime import datetime


def window_end(*, first_punch: datetime, months: int) -> datetime:
    """The moment the window closes: N calendar months after the first punch (Jan 31 + 1 month
    is the last day of February)."""
    months_since_year_zero = first_punch.year * 12 + first_punch.month - 1 + months
    year, month = divmod(months_since_year_zero, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return first_punch.replace(year=year, month=month + 1, day=min(first_punch.day, last_day))


def is_past_window(*, first_punch: datetime | None, months: int | None, at: datetime) -> bool:
    """A card with no window, or with no punch yet, never expires."""
    if months is None or first_punch is None:
        return False
    return at >= window_end(first_punch=first_punch, months=months)
