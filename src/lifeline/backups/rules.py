"""The retention rule of the backups, with no database: which backups to keep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def retention_keep(
    made: Iterable[dt.datetime], *, keep_last: int, keep_days: int, now: dt.datetime
) -> set[dt.datetime]:
    """Which backups to keep, by when each was made: the newest `keep_last`, and the newest of
    each day (UTC) for the last `keep_days` days. Everything else may be removed."""
    newest_first = sorted(made, reverse=True)
    keep = set(newest_first[:keep_last])
    oldest_day = (now - dt.timedelta(days=keep_days - 1)).astimezone(dt.UTC).date()
    days_seen: set[dt.date] = set()
    for at in newest_first:
        day = at.astimezone(dt.UTC).date()
        if day >= oldest_day and day not in days_seen:
            days_seen.add(day)
            keep.add(at)
    return keep
