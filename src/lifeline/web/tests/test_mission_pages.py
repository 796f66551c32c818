"""The missions pages: the board marks overdue teams, a mission page shows its timeline and
sketch map, the phone report forms file reports or show what is wrong."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lifeline.intel.models import FieldReport
from lifeline.missions.models import Mission
from lifeline.missions.tests.conftest import set_out
from lifeline.people.models import Person

pytestmark = pytest.mark.django_db


def client_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_board_marks_an_overdue_team_in_red(
    mission: Mission, commander: Any, django_assert_max_num_queries: Any
) -> None:
    set_out(mission, commander, at=timezone.now() - dt.timedelta(hours=1))
    client = client_as(commander)
    with django_assert_max_num_queries(25):
        page = client.get("/missions/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="overdue"' in html and "OVERDUE" in html and "RAFIQ" in html


def test_a_mission_page_shows_its_timeline_and_a_sketch_map(
    mission: Mission, commander: Any
) -> None:
    page = client_as(commander).get(f"/missions/{mission.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Bravo" in html and "Planned" in html
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_a_commander_briefs_a_mission_from_its_page(mission: Mission, commander: Any) -> None:
    response = client_as(commander).post(f"/missions/{mission.pk}/move/", {"to": "briefed"})
    assert response.status_code == 302
    assert Mission.objects.get(pk=mission.pk).state == "briefed"


def test_an_illegal_move_from_the_page_says_why(mission: Mission, commander: Any) -> None:
    response = client_as(commander).post(f"/missions/{mission.pk}/move/", {"to": "complete"})
    assert response.status_code == 409 and "next it can be" in response.content.decode()


def test_survivors_reported_from_the_phone_form_become_people(
    mission: Mission, field_team: Any
) -> None:
    response = client_as(field_team).post(
        f"/missions/{mission.pk}/report/?kind=survivors",
        {
            "kind": "survivors",
            "latitude": "33.515",
            "longitude": "36.281",
            "place": "Mavrah",
            "band_1": "4",
            "band_4": "1",
            "condition": "dehydrated",
            "text": "need water",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.filter(given_name="Unidentified").count() == 5


def test_a_bad_report_form_shows_the_field_and_files_nothing(
    mission: Mission, field_team: Any
) -> None:
    response = client_as(field_team).post(
        f"/missions/{mission.pk}/report/",
        {"kind": "sighting", "count": "many", "latitude": "33.4", "longitude": "36.1"},
    )
    assert response.status_code == 400 and "count" in response.content.decode()
    assert not FieldReport.objects.exists()


def test_a_viewer_cannot_file_a_report_from_the_form(mission: Mission, viewer: Any) -> None:
    response = client_as(viewer).post(
        f"/missions/{mission.pk}/report/", {"kind": "sitrep", "text": "hello"}
    )
    assert response.status_code == 403 and not FieldReport.objects.exists()
