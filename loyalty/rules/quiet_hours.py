"""Quiet hours (SPEC §8): a message due while the store is quiet waits until the quiet ends."""

from datetime import datetime, time, timedelta


def quiet_until(now_local: datetime, start: time | None, end: time | None) -> datetime | None:
    """The local time the quiet hours around `now_local` end, or None when it is not quiet.

    `start`-`end` may wrap midnight (21:00-08:00); start == end or a blank one means none."""
    if start is None or end is None or start == end:
        return None
    at = now_local.timetz().replace(tzinfo=None)
    today_end = now_local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if start < end:
        return today_end if start <= at < end else None
    if at >= start:  # after the evening start: quiet until tomorrow's end
        return today_end + timedelta(days=1)
    return today_end if at < end else None
