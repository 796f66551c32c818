"""Field reports: each kind writes the records it should, all in one transaction, whether it
comes from a form, a radio packet or a Cursor-on-Target event."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.alerts.selectors import alert_list
from lifeline.core.errors import Forbidden, NotFound, ValidationFailed
from lifeline.intel import codec
from lifeline.intel.cot import cot_export
from lifeline.intel.models import FieldReport, ReportPerson
from lifeline.intel.selectors import report_list
from lifeline.intel.services import (
    report_file,
    report_ingest_cot,
    report_ingest_packet,
    report_radio,
)
from lifeline.missions.models import CheckIn, Mission, MissionMember
from lifeline.missions.tests.conftest import set_out
from lifeline.people.models import ConditionObservation, Person, StatusEvent
from lifeline.supplies.models import Location, Movement
from lifeline.supplies.services import item_create

pytestmark = pytest.mark.django_db


def _leader(mission: Mission) -> MissionMember:
    return MissionMember.objects.get(mission=mission, radio_number=1)


def test_a_situation_report_is_stored_with_its_mission_and_reporter(
    mission: Mission, field_team: Any
) -> None:
    report = report_file(
        actor=field_team,
        mission=mission,
        kind="sitrep",
        text="Bridge at km 42 down",
        member=_leader(mission),
        latitude=33.45,
        longitude=36.2,
    )
    assert report.reporter == field_team and report.member == _leader(mission)
    assert list(report_list(actor=field_team, mission=mission)) == [report]


def test_a_sighting_keeps_count_armed_direction_and_group(
    mission: Mission, field_team: Any
) -> None:
    report = report_file(
        actor=field_team,
        mission=mission,
        kind="sighting",
        count=12,
        armed="yes",
        direction="ne",
        hostile_group="Black Scorpions",
        latitude=33.4,
        longitude=36.1,
    )
    assert report.details == {
        "count": 12,
        "armed": "yes",
        "direction": "ne",
        "hostile_group": "Black Scorpions",
    }


def test_survivors_found_registers_unidentified_people_and_plans_their_evacuation(
    mission: Mission, field_team: Any, commander: Any
) -> None:
    people_before = Person.objects.count()
    report = report_file(
        actor=field_team,
        mission=mission,
        kind="survivors",
        place="Mavrah school",
        latitude=33.515,
        longitude=36.281,
        text="sending coordinates",
        groups=[
            {"age_band": "5-11", "condition": "unhurt", "count": 4},
            {"age_band": "60+", "condition": "ill", "count": 1},
        ],
    )
    found = Person.objects.filter(
        pk__in=ReportPerson.objects.filter(report=report).values("person")
    )
    assert Person.objects.count() == people_before + 5 == people_before + found.count()
    assert {p.status for p in found} == {"missing"}
    assert {(p.current_area, p.current_latitude) for p in found} == {("Mavrah school", 33.515)}
    assert all(p.birth_date_estimated for p in found)
    ill = ConditionObservation.objects.filter(person__in=found, condition="ill")
    assert ill.count() == 1
    evacuation = report.evacuation_mission
    assert evacuation is not None and evacuation.kind == "evacuation"
    assert evacuation.state == "planned" and "5 survivors" in evacuation.objective
    assert [p.kind for p in evacuation.points.all()] == ["extraction"]


def test_a_casualty_records_the_wound_on_the_team_members_person(
    mission: Mission, field_team: Any, rafiq: Person
) -> None:
    report_file(
        actor=field_team,
        mission=mission,
        kind="casualty",
        casualty=_leader(mission),
        severity="serious",
        text="shrapnel, left leg",
    )
    observation = ConditionObservation.objects.get(person=rafiq)
    assert observation.condition == "wounded" and "serious" in observation.note


def test_a_killed_team_member_is_recorded_as_deceased(
    mission: Mission, commander: Any, rafiq: Person
) -> None:
    report_file(
        actor=commander,
        mission=mission,
        kind="casualty",
        casualty=_leader(mission),
        severity="killed",
    )
    assert Person.objects.get(pk=rafiq.pk).status == "deceased"


def test_a_casualty_without_a_person_record_is_refused_by_field(
    mission: Mission, field_team: Any
) -> None:
    radio_operator = MissionMember.objects.get(mission=mission, radio_number=2)
    with pytest.raises(ValidationFailed) as caught:
        report_file(
            actor=field_team,
            mission=mission,
            kind="casualty",
            casualty=radio_operator,
            severity="minor",
        )
    assert "casualty" in caught.value.fields
    assert not FieldReport.objects.exists()


def test_a_cache_found_by_a_field_team_keeps_its_items_and_asks_logistics(
    mission: Mission, field_team: Any, logistics: Any
) -> None:
    report = report_file(
        actor=field_team,
        mission=mission,
        kind="cache",
        latitude=33.3,
        longitude=36.0,
        items=[{"name": "vaccine", "quantity": 40, "unit": "dose"}],
        place="Qasr al-Hanif",
    )
    assert report.details["items"] == [{"name": "vaccine", "quantity": 40, "unit": "dose"}]
    alert = alert_list(actor=logistics, kind="supplies.cache_found").get()
    assert "40 dose vaccine" in alert.title and alert.subject_id == str(report.pk)


def test_a_cache_found_by_a_commander_becomes_a_cache_with_salvage_receipts(
    mission: Mission, commander: Any
) -> None:
    vaccine = item_create(actor=commander, code="vaccine", name="Measles vaccine", unit="dose")
    report = report_file(
        actor=commander,
        mission=mission,
        kind="cache",
        latitude=33.3,
        longitude=36.0,
        items=[
            {"name": "Vaccine", "quantity": 40, "unit": "dose"},
            {"name": "diesel", "quantity": 60, "unit": "litre"},
        ],
        place="Qasr al-Hanif",
    )
    location = Location.objects.get(pk=report.details["supplies_location"])
    assert location.kind == "cache" and location.latitude == 33.3
    movement = Movement.objects.get(location=location)
    assert (movement.item, movement.kind, movement.quantity) == (vaccine, "salvage", 40)
    assert [i["name"] for i in report.details["unmatched_items"]] == ["diesel"]


def test_a_failure_midway_through_the_side_effects_writes_nothing(
    mission: Mission, field_team: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    people_before = Person.objects.count()
    events_before = StatusEvent.objects.count()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("lifeline.missions.services.mission_create", broken)
    with pytest.raises(RuntimeError):
        report_file(
            actor=field_team,
            mission=mission,
            kind="survivors",
            place="Mavrah",
            latitude=33.5,
            longitude=36.3,
            groups=[{"age_band": "0-4", "condition": "unhurt", "count": 3}],
        )
    assert not FieldReport.objects.exists()
    assert Person.objects.count() == people_before
    assert StatusEvent.objects.count() == events_before


def test_a_viewer_may_neither_file_nor_read_reports(mission: Mission, viewer: Any) -> None:
    with pytest.raises(Forbidden):
        report_file(actor=viewer, mission=mission, kind="sitrep", text="x")
    with pytest.raises(Forbidden):
        report_list(actor=viewer)


def _packet(mission: Mission, body: codec.Body, *, member: int = 1, seq: int = 1) -> bytes:
    fix = codec.Fix(mission.radio_tag, member, seq, 600, 33_515_000, 36_281_000)
    return codec.encode(codec.RadioReport(fix, body))


def test_a_check_in_packet_becomes_a_check_in_once_even_when_heard_twice(
    mission: Mission, commander: Any
) -> None:
    mission = set_out(mission, commander)
    packet = _packet(mission, codec.CheckIn(codec.CheckInStatus.OK, "at km 42"))
    first = report_ingest_packet(actor=commander, packet=packet)
    again = report_ingest_packet(actor=commander, packet=packet)
    assert first.checkin is not None and again.checkin is not None
    assert first.checkin.pk == again.checkin.pk
    checkin = CheckIn.objects.get()
    assert checkin.member == _leader(mission) and checkin.source == "radio"
    assert checkin.at == mission.planned_start + __import__("datetime").timedelta(seconds=600)


def test_a_survivors_packet_creates_the_same_records_as_the_form(
    mission: Mission, commander: Any
) -> None:
    body = codec.Survivors(
        (codec.SurvivorGroup(codec.AgeBand.UNDER_5, codec.SurvivorCondition.DEHYDRATED, 2),),
        "Mavrah",
        "",
    )
    result = report_ingest_packet(actor=commander, packet=_packet(mission, body))
    assert result.report is not None
    assert ReportPerson.objects.filter(report=result.report).count() == 2
    assert result.report.evacuation_mission is not None
    assert report_radio(result.report) == codec.normalise(result.radio)


def test_a_casualty_packet_names_the_member_by_radio_number(
    mission: Mission, commander: Any, rafiq: Person
) -> None:
    body = codec.Casualty(1, codec.Severity.SERIOUS, "leg")
    report_ingest_packet(actor=commander, packet=_packet(mission, body, member=2))
    assert ConditionObservation.objects.filter(person=rafiq, condition="wounded").exists()


def test_a_corrupt_packet_is_refused_with_the_reason_and_writes_nothing(
    mission: Mission, commander: Any
) -> None:
    packet = bytearray(_packet(mission, codec.SitRep("quiet")))
    packet[10] ^= 0x04
    with pytest.raises(ValidationFailed, match="checksum"):
        report_ingest_packet(actor=commander, packet=bytes(packet))
    assert not FieldReport.objects.exists()


def test_a_packet_for_an_unknown_mission_is_refused(site: Any, commander: Any) -> None:
    fix = codec.Fix(0x12345678, 1, 1, 0, 0, 0)
    packet = codec.encode(codec.RadioReport(fix, codec.SitRep("hello")))
    with pytest.raises(NotFound, match="12345678"):
        report_ingest_packet(actor=commander, packet=packet)


def test_a_cot_sighting_from_a_tak_client_becomes_a_report(
    mission: Mission, commander: Any
) -> None:
    radio = codec.RadioReport(
        codec.Fix(mission.radio_tag, 1, 3, 900, 33_400_000, 36_100_000),
        codec.Sighting(6, codec.Armed.YES, codec.Direction.S, "Jackals", "on foot"),
    )
    xml = cot_export(radio, mission_start=mission.planned_start)
    result = report_ingest_cot(actor=commander, mission=mission, xml=xml)
    assert result.report is not None and result.report.source == "cot"
    assert result.report.details["hostile_group"] == "Jackals"
    assert report_radio(result.report) == codec.normalise(radio)


@pytest.mark.parametrize("seq", [None, 5, codec.MAX_SEQ + 7])
def test_a_stored_reports_packet_heard_again_makes_no_second_report_nor_sighting(
    mission: Mission, commander: Any, seq: int | None
) -> None:
    from lifeline.intel.models import Sighting

    report = report_file(
        actor=commander,
        mission=mission,
        kind="sighting",
        member=_leader(mission),
        count=4,
        armed="yes",
        direction="n",
        hostile_group="Jackals",
        latitude=33.4,
        longitude=36.1,
        seq=seq,
    )
    packet = codec.encode(report_radio(report))

    result = report_ingest_packet(actor=commander, packet=packet)
    again = report_ingest_packet(actor=commander, packet=packet)

    assert result.report == report and again.report == report
    assert FieldReport.objects.count() == 1
    assert Sighting.objects.count() == 1


def test_a_different_report_at_the_same_moment_is_still_filed(
    mission: Mission, commander: Any
) -> None:
    first = report_ingest_packet(actor=commander, packet=_packet(mission, codec.SitRep("a")))
    second = report_ingest_packet(
        actor=commander, packet=_packet(mission, codec.SitRep("b"), seq=2)
    )
    assert first.report != second.report
    assert FieldReport.objects.count() == 2
