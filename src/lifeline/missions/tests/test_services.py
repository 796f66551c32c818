"""Planning, the lifecycle with its history, check-ins and the overdue alert, the debrief."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from lifeline.alerts.models import Alert
from lifeline.alerts.selectors import alert_list
from lifeline.alerts.services import alert_resolve
from lifeline.core.errors import Conflict, Forbidden, ValidationFailed
from lifeline.missions import selectors, services
from lifeline.missions.models import Mission, MissionTransition, Vehicle
from lifeline.missions.tests.conftest import set_out

pytestmark = pytest.mark.django_db


def test_planning_a_mission_writes_its_team_points_vehicles_and_first_history_row(
    mission: Mission, commander: Any
) -> None:
    record = selectors.mission_record(actor=commander, mission_id=mission.pk)
    assert mission.state == "planned"
    assert [m.radio_number for m in record.members] == [1, 2]
    assert record.members[0].callsign == "RAFIQ"
    assert [p.name for p in record.points] == ["km 42", "Bravo"]
    assert [v.name for v in record.vehicles] == ["Land Cruiser 2"]
    assert [(t.from_state, t.to_state) for t in record.transitions] == [("", "planned")]
    assert mission.radio_tag == int.from_bytes(mission.pk.bytes[-4:], "big")


def test_a_bad_nested_point_names_its_place_in_the_plan_and_writes_nothing(
    site: Any, commander: Any
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.mission_plan(
            actor=commander,
            name="Patrol",
            kind="patrol",
            planned_start=timezone.now(),
            points=[{"kind": "rally", "name": "A", "latitude": 95, "longitude": 1}],
        )
    assert "points[0].latitude" in caught.value.fields
    assert not Mission.objects.exists()


def test_every_transition_is_a_history_row_with_who_and_when(
    mission: Mission, commander: Any, field_team: Any, vehicle: Vehicle
) -> None:
    services.mission_transition(actor=commander, mission=mission, to="briefed")
    services.mission_transition(actor=field_team, mission=mission, to="under_way")
    assert Vehicle.objects.get(pk=vehicle.pk).status == "out"
    services.mission_transition(actor=field_team, mission=mission, to="returning")
    services.mission_transition(actor=commander, mission=mission, to="complete", note="all back")
    rows = list(MissionTransition.objects.filter(mission=mission))
    assert [r.to_state for r in rows] == [
        "planned",
        "briefed",
        "under_way",
        "returning",
        "complete",
    ]
    assert [r.by.username for r in rows[1:]] == [
        "commander",
        "field_team",
        "field_team",
        "commander",
    ]
    assert Mission.objects.get(pk=mission.pk).state == "complete"
    assert Vehicle.objects.get(pk=vehicle.pk).status == "ready"


def test_an_illegal_transition_is_refused_and_writes_nothing(
    mission: Mission, commander: Any
) -> None:
    with pytest.raises(Conflict, match="brief"):
        services.mission_transition(actor=commander, mission=mission, to="under_way")
    assert MissionTransition.objects.filter(mission=mission).count() == 1


def test_a_field_team_cannot_brief_or_abort(mission: Mission, field_team: Any) -> None:
    with pytest.raises(Forbidden, match="command_mission"):
        services.mission_transition(actor=field_team, mission=mission, to="briefed")
    with pytest.raises(Forbidden):
        services.mission_transition(actor=field_team, mission=mission, to="aborted")


def test_a_viewer_cannot_plan_a_mission(site: Any, viewer: Any) -> None:
    with pytest.raises(Forbidden):
        services.mission_plan(actor=viewer, name="x", kind="patrol", planned_start=timezone.now())


def test_only_a_team_that_is_out_checks_in(mission: Mission, field_team: Any) -> None:
    with pytest.raises(Conflict, match="planned"):
        services.mission_checkin(actor=field_team, mission=mission, latitude=33.5, longitude=36.3)


def test_a_call_for_help_is_read_in_the_readers_language(mission: Mission, commander: Any) -> None:
    mission = set_out(mission, commander)
    services.mission_checkin(actor=commander, mission=mission, status="need_help", note="ambush")
    alert = Alert.objects.get(kind=services.NEED_HELP_KIND)
    assert alert.title == f"{mission.name} asks for help: ambush"
    with translation.override("fr"):
        assert alert.shown_title == f"{mission.name} demande de l'aide : ambush"
    with translation.override("ar"):
        assert alert.shown_title == f"{mission.name} تطلب المساعدة: ambush"


def test_a_check_in_heard_twice_is_recorded_once(mission: Mission, commander: Any) -> None:
    mission = set_out(mission, commander)
    first = services.mission_checkin(actor=commander, mission=mission, seq=7, status="ok")
    again = services.mission_checkin(actor=commander, mission=mission, seq=7, status="ok")
    assert first.pk == again.pk


def test_a_team_that_misses_its_window_is_overdue_and_raises_one_alert(
    mission: Mission, commander: Any, field_team: Any
) -> None:
    start = timezone.now() - dt.timedelta(minutes=50)
    mission = set_out(mission, commander, at=start)
    services.mission_checkin(
        actor=field_team,
        mission=mission,
        latitude=33.5,
        longitude=36.3,
        at=start + dt.timedelta(minutes=20),
    )
    # Due 30 minutes after the last check-in: not yet overdue 9 minutes later.
    before_due = start + dt.timedelta(minutes=49)
    assert services.missions_overdue_sweep(now=before_due) == []
    after_due = start + dt.timedelta(minutes=51)
    board = selectors.mission_board(actor=commander, now=after_due)
    assert board[0].mission == mission and board[0].overdue
    alerts = services.missions_overdue_sweep(now=after_due)
    assert [a.kind for a in alerts] == ["mission.overdue"]
    assert services.missions_overdue_sweep(now=after_due)[0].pk == alerts[0].pk
    assert alert_list(actor=commander, kind="mission.overdue").count() == 1


def test_a_check_in_clears_the_overdue_state_on_the_board(mission: Mission, commander: Any) -> None:
    mission = set_out(mission, commander, at=timezone.now() - dt.timedelta(hours=2))
    assert selectors.mission_board(actor=commander)[0].overdue
    services.mission_checkin(actor=commander, mission=mission, status="ok")
    assert not selectors.mission_board(actor=commander)[0].overdue


def test_the_worker_raises_the_overdue_alert_once_per_run(mission: Mission, commander: Any) -> None:
    set_out(mission, commander, at=timezone.now() - dt.timedelta(hours=2))
    call_command("lifeline_worker", "--once")
    call_command("lifeline_worker", "--once")
    alert = Alert.objects.get(kind="mission.overdue")
    assert alert.subject_id == str(mission.pk) and alert.severity == "critical"
    alert_resolve(actor=commander, alert=alert, resolution="raised them on the radio")


def test_a_finished_mission_is_debriefed_once(mission: Mission, commander: Any) -> None:
    with pytest.raises(Conflict, match="complete or aborted"):
        services.mission_debrief(actor=commander, mission=mission)
    services.mission_transition(actor=commander, mission=mission, to="aborted", note="storm")
    debrief = services.mission_debrief(
        actor=commander,
        mission=mission,
        people_found=5,
        casualties=1,
        supplies_recovered=[{"item": "vaccine", "quantity": 40, "unit": "dose"}],
        summary="four children, one elderly",
    )
    assert debrief.people_found == 5
    with pytest.raises(Conflict):
        services.mission_debrief(actor=commander, mission=mission)


def test_a_vehicle_in_repair_cannot_be_assigned(mission: Mission, commander: Any) -> None:
    truck = services.vehicle_register(actor=commander, name="Truck", status="in_repair")
    with pytest.raises(ValidationFailed, match="in repair"):
        services.mission_vehicle_assign(actor=commander, mission=mission, vehicle=truck)


def test_the_plan_cannot_change_once_the_team_is_out(mission: Mission, commander: Any) -> None:
    mission = set_out(mission, commander)
    with pytest.raises(Conflict, match="under way"):
        services.mission_update(actor=commander, mission=mission, changes={"area": "x"})
