"""Mission rows that arrive from another site: the state derived from the transitions that
arrive, and one radio number given to two members at two sites kept and raised for review."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lifeline.alerts.models import Alert
from lifeline.core.ids import uuid_named
from lifeline.core.tests.arrivals import row_arrive, rows_applied, site_remote
from lifeline.missions import arrivals, services
from lifeline.missions.models import Mission, MissionMember, MissionTransition
from lifeline.missions.tests.conftest import set_out

pytestmark = pytest.mark.django_db


def test_a_transition_from_another_site_moves_the_missions_state(
    mission: Mission, commander: Any
) -> None:
    mission = set_out(mission, commander)
    back = timezone.now() + dt.timedelta(minutes=5)
    turned = row_arrive(
        MissionTransition(mission=mission, from_state="under_way", to_state="returning", at=back),
        site=site_remote(),
    )
    rows_applied(turned)
    mission.refresh_from_db()
    assert (mission.state, mission.state_since) == ("returning", back)


def test_a_mission_planned_at_another_site_arrives_with_its_state(commander: Any) -> None:
    forest = site_remote()
    at = timezone.now()
    mission = row_arrive(
        Mission(name="Convoy to Qasr", kind="convoy", planned_start=at, state="planned"),
        site=forest,
    )
    rows = [
        row_arrive(MissionTransition(mission=mission, to_state=to, at=at + dt.timedelta(minutes=i)),
                   site=forest)
        for i, to in enumerate(("planned", "briefed", "under_way"))
    ]  # fmt: skip
    rows_applied(mission, *rows)
    mission.refresh_from_db()
    assert mission.state == "under_way"


def test_one_radio_number_given_at_two_sites_is_kept_and_raised(
    mission: Mission, commander: Any
) -> None:
    first = MissionMember.objects.get(mission=mission, radio_number=2)
    theirs = row_arrive(
        MissionMember(mission=mission, callsign="FALCON", radio_number=2), site=site_remote()
    )
    rows_applied(theirs)
    assert MissionMember.objects.filter(mission=mission, radio_number=2).count() == 2
    alert = Alert.objects.get(kind=arrivals.RADIO_TWICE_KIND)
    assert alert.key == f"{mission.pk}:2"
    assert services.member_by_radio_number(mission, 2) == min(first, theirs, key=lambda m: m.pk)


def test_a_missions_debrief_is_one_row_at_every_site(mission: Mission, commander: Any) -> None:
    mission = set_out(mission, commander)
    services.mission_transition(actor=commander, mission=mission, to="aborted")
    debrief = services.mission_debrief(actor=commander, mission=mission, summary="turned back")
    assert debrief.pk == uuid_named("missions.debrief", mission.pk)
