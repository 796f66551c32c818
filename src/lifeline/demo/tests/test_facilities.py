"""The facilities part of the demo: the wind's damage at Desert Base under repair, The
Compound's breach and burnt store, and tonight's watch with the Ridge uncovered after midnight."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lifeline.demo import facilities as facilities_demo
from lifeline.demo import threats as threats_demo
from lifeline.demo.accounts import Cast
from lifeline.demo.scenario import demo_sites_ensure, story_load
from lifeline.facilities import selectors, services
from lifeline.facilities.models import Facility, Shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(cast: Cast) -> Cast:
    sites = demo_sites_ensure()
    story_load(cast=cast, sites=sites)
    roles = {
        "commander": cast.commander,
        "field_team": cast.field_team,
        "logistics": cast.logistics,
    }
    threats_demo.load(actor_by_role=roles)
    facilities_demo.load(actor_by_role=roles)
    return cast


def test_the_two_camps_damage_and_repairs(loaded: Cast) -> None:
    here = {f.name: f for f in selectors.facility_list(actor=loaded.commander)}
    assert here["Shelter C"].state == "under_repair" and here["Shelter C"].capacity_usable == 28
    everywhere = selectors.facility_list(actor=loaded.commander, every_site=True)
    compound = {f.name: f.state for f in everywhere if f.site.code == "the-compound"}
    assert compound["South wall"] == "unsafe"
    assert compound["Food store"] == "destroyed"
    assert compound["Main gate"] == "working", "the hinge was welded"
    urgent = selectors.work_open_list(actor=loaded.commander, every_site=True)[0]
    assert urgent.priority == "urgent" and "breach" in urgent.title


def test_tonights_watch_leaves_the_ridge_uncovered_after_midnight(loaded: Cast) -> None:
    local = timezone.localtime()
    tonight = local.replace(hour=18, minute=0, second=0, microsecond=0)
    if local.hour < 6:
        tonight -= dt.timedelta(days=1)
    check = services.roster_check(tonight, tonight + dt.timedelta(hours=12))
    assert [(g.start - tonight, g.end - tonight) for g in check.gaps] == [
        (dt.timedelta(hours=6), dt.timedelta(hours=12))
    ]
    assert check.clashes == [] and check.short_rests == []
    note = Shift.objects.exclude(handover_note="").get()
    assert "shadow" in note.handover_note


def test_the_demo_runs_once(loaded: Cast) -> None:
    before = Facility.objects.count()
    facilities_demo.load(
        actor_by_role={
            "commander": loaded.commander,
            "field_team": loaded.field_team,
            "logistics": loaded.logistics,
        }
    )
    assert Facility.objects.count() == before == 16
