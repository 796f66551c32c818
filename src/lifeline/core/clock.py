"""The persisted hybrid logical clock of this site: one locked row advanced by every write."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

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


@transaction.atomic
def clock_tick_many(count: int) -> list[Stamp]:
    """`count` consecutive versions for the writes of one transaction: one locked read and
    one update of the clock row, however many rows the transaction writes."""
    state = (
        ClockState.objects.select_for_update()
        .select_related("site")
        .filter(site__code=settings.LIFELINE_SITE)
        .first()
    )
    if state is None:
        state, _ = ClockState.objects.get_or_create(site=site_local())
    site_hex = state.site_id.hex
    last = hlc.Timestamp(state.ms, state.counter, site_hex)
    wall = wall_ms()
    stamps = []
    for _ in range(count):
        last = hlc.tick(last, wall, site_hex)
        stamps.append(Stamp(site_id=state.site_id, version=last.encode()))
    ClockState.objects.filter(pk=state.pk).update(ms=last.ms, counter=last.counter)
    return stamps
