"""The persisted hybrid logical clock of this site: one locked row advanced by every write."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from lifeline.core import hlc
from lifeline.core.models import ClockState, Site


@dataclass(frozen=True)
class Stamp:
    site_id: object
    version: str


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def site_local() -> Site:
    """This installation's site, created on first use from LIFELINE_SITE."""
    code = settings.LIFELINE_SITE
    site = Site.objects.filter(code=code).first()
    if site is None:
        name = settings.LIFELINE_SITE_NAME or code.replace("-", " ").title()
        site, _ = Site.objects.get_or_create(code=code, defaults={"name": name})
    return site


def clock_tick() -> Stamp:
    """Advance the site clock for one local write; called inside the write's transaction."""
    return clock_tick_many(1)[0]


def clock_tick_many(count: int) -> list[Stamp]:
    """`count` consecutive versions for the writes of one transaction: one locked read and
    one update of the clock row, however many rows the transaction writes.

    Plain SQL and no savepoint: every local write passes here, so it is kept to two statements
    (a failure marks the caller's transaction for rollback, as any failed write does)."""
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        sql = (
            "SELECT site_id, ms, counter FROM core_clockstate"
            " WHERE site_id = (SELECT id FROM core_site WHERE code = %s)"
        )
        if connection.features.has_select_for_update:
            sql += " FOR UPDATE"
        cursor.execute(sql, [settings.LIFELINE_SITE])
        row = cursor.fetchone()
        if row is None:
            state, _ = ClockState.objects.get_or_create(site=site_local())
            row = (state.site_id, state.ms, state.counter)
        site_id = ClockState._meta.pk.to_python(row[0])
        site_hex = site_id.hex
        last = hlc.Timestamp(int(row[1]), int(row[2]), site_hex)
        wall = wall_ms()
        ticks = hlc.tick_many(last, wall, site_hex, count)
        last = ticks[-1]
        stamps = [Stamp(site_id=site_id, version=t.encode()) for t in ticks]
        cursor.execute(
            "UPDATE core_clockstate SET ms = %s, counter = %s WHERE site_id = %s",
            [last.ms, last.counter, ClockState._meta.pk.get_db_prep_value(site_id, connection)],
        )
    return stamps
