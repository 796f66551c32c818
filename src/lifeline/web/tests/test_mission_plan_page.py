"""The mission planning page and the check-in page: a plan with its team, vehicles and points
becomes a mission; bad input comes back as messages beside the fields, nothing written; a role
that may not plan or check in is refused and is not offered the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lifeline.missions.models import CheckIn, Mission, MissionPoint, Vehicle
from lifeline.missions.tests.conftest import set_out
from lifeline.people.models import Person

pytestmark = pytest.mark.django_db


def client_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def plan_data(**changes: str | list[str]) -> dict[str, Any]:
    start = timezone.localtime() + dt.timedelta(hours=1)
    data: dict[str, Any] = {
        "name": "Recon Qasr al-Hanif",
        "kind": "recon",
        "area": "Qasr al-Hanif",
        "objective": "See whether the vaccine crates are still there",
        "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
        "checkin_interval_minutes": "45",
        "standing_orders": "No engagement. Radio silence past km 40.",
        "point_name_0": "km 12",
        "point_lat_0": "33.4501",
        "point_lon_0": "36.2002",
        "point_lat_1": "33.4602",
        "point_lon_1": "36.2103",
        "point_name_6": "Bravo",
        "point_lat_6": "33.52",
        "point_lon_6": "36.29",
    }
    data.update(changes)
    return data


def test_the_planning_page_offers_the_team_the_vehicles_and_a_map_row_per_point(
    commander: Any, field_team: Any, vehicle: Vehicle, make_user: Any
) -> None:
    from lifeline.people.services import person_register

    person_register(actor=commander, given_name="Rafiq", family_name="Haddad", callsign="RAFIQ")
    make_user(None, "clerk")  # may not check a team in: not offered
    page = client_as(commander).get("/missions/new/")
    html = page.content.decode()
    assert "Rafiq Haddad (RAFIQ)" in html and "user:clerk" not in html
    assert page.status_code == 200
    assert f'value="user:{field_team.username}"' in html and "Land Cruiser 2, fuel 80%" in html
    assert 'name="point_lat_0"' in html and 'name="point_lat_6"' in html
    assert "<script>" not in html and " style=" not in html


def test_a_commander_plans_a_mission_with_its_team_vehicles_and_points(
    commander: Any, field_team: Any, rafiq: Person, vehicle: Vehicle
) -> None:
    data = plan_data(team=[f"user:{field_team.username}"], leader=f"person:{rafiq.pk}")
    data["vehicles"] = [str(vehicle.pk)]
    response = client_as(commander).post("/missions/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    mission = Mission.objects.get(name="Recon Qasr al-Hanif")
    assert response["Location"] == f"/missions/{mission.pk}/"
    assert mission.checkin_interval_minutes == 45 and mission.state == "planned"
    assert mission.standing_orders.startswith("No engagement")
    points = list(MissionPoint.objects.filter(mission=mission).order_by("sequence"))
    assert [(p.kind, p.name) for p in points] == [
        ("waypoint", "km 12"),
        ("waypoint", "WP2"),
        ("extraction", "Bravo"),
    ]
    members = {(m.user, m.person, m.role) for m in mission.members.all()}
    assert members == {(None, rafiq, "leader"), (field_team, None, "member")}
    assert list(mission.vehicles.values_list("vehicle", flat=True)) == [vehicle.pk]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Mission name: This field is required."),
        ({"checkin_interval_minutes": "0"}, "Check in every (minutes): Ensure this value"),
        ({"point_lat_1": "95"}, "Waypoint 2: latitude: Ensure this value"),
        ({"point_lon_6": ""}, "Extraction point: longitude: This field is required."),
        ({"team": ["user:nobody-here"]}, "Team: "),
    ],
)
def test_a_bad_plan_comes_back_with_the_message_beside_the_field_and_writes_nothing(
    commander: Any, changes: dict[str, Any], message: str
) -> None:
    response = client_as(commander).post("/missions/new/", plan_data(**changes))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html.replace("&#x27;", "'")
    assert not Mission.objects.exists()
    assert 'value="Recon Qasr al-Hanif"' in html or changes.get("name") == ""


def test_a_plan_ending_before_it_starts_is_refused_by_the_service_beside_the_field(
    commander: Any,
) -> None:
    end = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_as(commander).post("/missions/new/", plan_data(planned_end=end))
    assert response.status_code == 400
    assert "is before the planned start" in response.content.decode()
    assert not Mission.objects.exists()


@pytest.mark.parametrize("role", ["field_team", "viewer", "logistics"])
def test_a_role_that_may_not_plan_is_refused_and_not_offered_the_page(
    role: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role)
    client = client_as(user)
    assert client.get("/missions/new/").status_code == 403
    assert client.post("/missions/new/", plan_data()).status_code == 403
    assert not Mission.objects.exists()
    board = client.get("/missions/").content.decode()
    assert "/missions/new/" not in board


def test_the_board_offers_planning_to_a_commander(commander: Any) -> None:
    assert "/missions/new/" in client_as(commander).get("/missions/").content.decode()


# ---- check-in ----------------------------------------------------------------------------


def test_the_check_in_page_offers_use_my_position_and_the_callers_place_in_the_team(
    mission: Mission, commander: Any, field_team: Any
) -> None:
    set_out(mission, commander)
    page = client_as(field_team).get(f"/missions/{mission.pk}/checkin/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "data-geolocate" in html and "web/geolocate.js" in html
    mine = mission.members.get(user=field_team)
    assert f'<option value="{mine.pk}" selected>' in html


def test_a_field_team_checks_in_with_a_typed_position_and_it_is_on_the_timeline(
    mission: Mission, commander: Any, field_team: Any
) -> None:
    set_out(mission, commander)
    mine = mission.members.get(user=field_team)
    client = client_as(field_team)
    response = client.post(
        f"/missions/{mission.pk}/checkin/",
        {"member": str(mine.pk), "status": "ok", "latitude": "33.47", "longitude": "36.22"},
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get(mission=mission)
    assert (checkin.member, checkin.latitude, checkin.longitude) == (mine, 33.47, 36.22)
    timeline = client.get(f"/missions/{mission.pk}/").content.decode().split('id="timeline"')[1]
    assert "Check-in" in timeline and "33.47000, 36.22000" in timeline


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"latitude": "133", "longitude": "36.2"}, "Latitude: Ensure this value"),
        ({"latitude": "33.4"}, "longitude"),
        ({"status": "dancing"}, "How is the team: "),
    ],
)
def test_a_bad_check_in_comes_back_with_the_field_and_records_nothing(
    mission: Mission, commander: Any, field_team: Any, data: dict[str, str], message: str
) -> None:
    set_out(mission, commander)
    response = client_as(field_team).post(f"/missions/{mission.pk}/checkin/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_viewer_is_refused_the_check_in_and_is_not_offered_it(
    mission: Mission, commander: Any, viewer: Any
) -> None:
    set_out(mission, commander)
    client = client_as(viewer)
    assert client.get(f"/missions/{mission.pk}/checkin/").status_code == 403
    response = client.post(f"/missions/{mission.pk}/checkin/", {"status": "ok"})
    assert response.status_code == 403 and not CheckIn.objects.exists()
    detail = client.get(f"/missions/{mission.pk}/").content.decode()
    assert "/checkin/" not in detail and "/report/" not in detail and "/move/" not in detail


# ---- the mission's page ------------------------------------------------------------------


def test_a_mission_page_says_when_the_next_check_in_is_due(
    mission: Mission, commander: Any
) -> None:
    set_out(mission, commander)
    html = client_as(commander).get(f"/missions/{mission.pk}/").content.decode()
    assert "Next check-in due" in html and "(in 30 min)" in html
    assert "Overdue" not in html


def test_a_mission_page_says_overdue_in_red_with_words(mission: Mission, commander: Any) -> None:
    set_out(mission, commander, at=timezone.now() - dt.timedelta(hours=2))
    html = client_as(commander).get(f"/missions/{mission.pk}/").content.decode()
    before, after = html.split('id="checkin-due"', 1)
    due = before.rsplit("<p", 1)[1] + after.split("</p>", 1)[0]
    assert "overdue-text" in due and "Overdue: the check-in was due" in due
    assert "1 h 30 min ago" in due


def test_a_mission_timeline_is_in_time_order(mission: Mission, commander: Any) -> None:
    start = timezone.now() - dt.timedelta(hours=3)
    set_out(mission, commander, at=start)
    from lifeline.missions import services

    services.mission_checkin(
        actor=commander, mission=mission, note="late news", at=start + dt.timedelta(minutes=5)
    )
    services.mission_checkin(
        actor=commander, mission=mission, note="early news", at=start - dt.timedelta(minutes=5)
    )
    html = client_as(commander).get(f"/missions/{mission.pk}/").content.decode()
    timeline = html.split('id="timeline"')[1]
    # Set out three hours ago (recorded late), checked in around it; planned and briefed now.
    words = ("early news", "Under way", "late news", "Briefed")
    order = [timeline.index(word) for word in words]
    assert order == sorted(order)


def test_a_field_team_out_is_offered_the_check_in_and_report_forms_but_not_planning(
    mission: Mission, commander: Any, field_team: Any
) -> None:
    set_out(mission, commander)
    client = client_as(field_team)
    detail = client.get(f"/missions/{mission.pk}/").content.decode()
    assert f"/missions/{mission.pk}/checkin/" in detail
    assert f"/missions/{mission.pk}/report/" in detail
    assert "/missions/new/" not in detail
    report = client.get(f"/missions/{mission.pk}/report/?kind=sighting").content.decode()
    assert "data-geolocate" in report and "Use my position" in report


def test_a_planned_mission_offers_no_check_in_and_refuses_one(
    mission: Mission, field_team: Any
) -> None:
    client = client_as(field_team)
    assert "/checkin/" not in client.get(f"/missions/{mission.pk}/").content.decode()
    response = client.get(f"/missions/{mission.pk}/checkin/")
    assert response.status_code == 409 and "while it is out" in response.content.decode()
