"""Threat rows that arrive from another site: a group's last sighting and routing's risk grid
are rebuilt from them (both are derived, never shipped)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lifeline.core.tests.arrivals import row_arrive, rows_applied, site_remote
from lifeline.intel.models import HostileGroup, Sighting
from lifeline.intel.threats import services
from lifeline.routing.models import RiskGrid
from lifeline.routing.services import risk_levels

pytestmark = pytest.mark.django_db


def _sighting_from(group: HostileGroup | None, minutes_ago: int, lat: float = 33.5) -> Sighting:
    row = Sighting(
        seen_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        latitude=lat,
        longitude=36.3,
        count=12,
        confidence=0.9,
        hostile_group=group,
        source="radio",
    )
    return row_arrive(row, site=site_remote())


def test_a_sighting_from_another_site_moves_the_groups_last_sighting(commander: Any) -> None:
    group = services.hostile_group_create(actor=commander, name="The Jackals")
    services.sighting_record(
        actor=commander, latitude=33.4, longitude=36.2, count=5, confidence=0.6,
        hostile_group=group, seen_at=timezone.now() - dt.timedelta(hours=2),
    )  # fmt: skip
    rows_applied(_sighting_from(group, 10, lat=33.55))
    group.refresh_from_db()
    assert group.last_seen_latitude == 33.55


def test_a_group_arriving_gets_its_last_sighting_from_the_sightings_here(commander: Any) -> None:
    forest = site_remote()
    group = row_arrive(HostileGroup(name="Raiders of the ridge"), site=forest)
    sighting = _sighting_from(group, 30, lat=33.6)
    rows_applied(group, sighting)
    group.refresh_from_db()
    assert group.last_seen_latitude == 33.6


def test_sightings_from_another_site_count_in_the_risk_grid(commander: Any) -> None:
    services.sighting_record(
        actor=commander, latitude=33.4, longitude=36.2, count=5, confidence=0.6
    )
    before = risk_levels(now=timezone.now())
    rows_applied(_sighting_from(None, 5, lat=33.55))
    grid = RiskGrid.objects.get()
    assert grid.sightings == 2
    after = risk_levels(now=timezone.now())
    assert set(after) > set(before)
