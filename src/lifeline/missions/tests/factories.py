"""Builders for mission rows, shared by the tests and by core's replication test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from lifeline.core.models import ReplicatedModel
from lifeline.intel.models import FieldReport, ReportPerson
from lifeline.missions.models import (
    CheckIn,
    Debrief,
    Mission,
    MissionMember,
    MissionPoint,
    MissionTransition,
    MissionVehicle,
    Vehicle,
)
from lifeline.people.models import Person


def mission_row() -> Mission:
    mission = Mission(name="Recon Qasr al-Hanif", kind="recon", planned_start=timezone.now())
    mission.save()
    return mission


def vehicle_row() -> Vehicle:
    vehicle = Vehicle(name="Land Cruiser 2")
    vehicle.save()
    return vehicle


def person_row() -> Person:
    person = Person(given_name="Rafiq")
    person.save()
    return person


def report_row() -> FieldReport:
    report = FieldReport(mission=mission_row(), kind="sitrep", text="quiet")
    report.save()
    return report


FACTORIES: dict[type[ReplicatedModel], tuple[Callable[[], ReplicatedModel], str, Any]] = {
    Mission: (
        lambda: Mission(name="Patrol", kind="patrol", planned_start=timezone.now()),
        "objective",
        "watch the road",
    ),
    MissionMember: (
        lambda: MissionMember(mission=mission_row(), person=person_row(), radio_number=1),
        "callsign",
        "HAWK",
    ),
    Vehicle: (lambda: Vehicle(name="Truck"), "fuel_percent", 40),
    MissionVehicle: (
        lambda: MissionVehicle(mission=mission_row(), vehicle=vehicle_row()),
        "note",
        "carries the cold box",
    ),
    MissionPoint: (
        lambda: MissionPoint(
            mission=mission_row(), kind="extraction", name="Bravo", latitude=33.5, longitude=36.3
        ),
        "name",
        "Charlie",
    ),
    MissionTransition: (
        lambda: MissionTransition(mission=mission_row(), to_state="planned"),
        "note",
        "planned",
    ),
    CheckIn: (lambda: CheckIn(mission=mission_row()), "note", "all quiet"),
    Debrief: (lambda: Debrief(mission=mission_row()), "summary", "found four children"),
    FieldReport: (
        lambda: FieldReport(mission=mission_row(), kind="sitrep"),
        "text",
        "bridge down",
    ),
    ReportPerson: (
        lambda: ReportPerson(report=report_row(), person=person_row(), effect="registered"),
        "effect",
        "casualty",
    ),
}
