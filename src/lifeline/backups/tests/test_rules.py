"""The retention rule, with no database."""

from __future__ import annotations

import datetime as dt

import pytest

from lifeline.backups.rules import retention_keep

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def hours_ago(*hours: int) -> list[dt.datetime]:
    return [NOW - dt.timedelta(hours=h) for h in hours]


@pytest.mark.parametrize(
    ("made", "keep_last", "keep_days", "kept"),
    [
        (hours_ago(1, 2, 3), 7, 30, hours_ago(1, 2, 3)),  # fewer than the last N: all kept
        (hours_ago(1, 2, 3), 1, 1, hours_ago(1)),  # today's newest is the one of its day
        (hours_ago(1, 30, 31), 1, 2, hours_ago(1, 30)),  # yesterday's newest, not its older
        (hours_ago(1, 24 * 40), 1, 30, hours_ago(1)),  # older than the days kept: gone
        (hours_ago(24 * 40, 24 * 41), 2, 30, hours_ago(24 * 40, 24 * 41)),  # the last 2 stay
    ],
)
def test_the_last_n_and_the_newest_of_each_recent_day_are_kept(
    made: list[dt.datetime], keep_last: int, keep_days: int, kept: list[dt.datetime]
) -> None:
    assert retention_keep(made, keep_last=keep_last, keep_days=keep_days, now=NOW) == set(kept)
