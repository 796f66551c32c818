"""The missions part of the demo, from the stories: the recon unit at Qasr al-Hanif, Rafiq's
search and rescue in Mavrah with extraction point Bravo (the team found four children and an
elderly man, and is now late on its check-in), the convoy for the vaccine crates, and a patrol
that came back. Calls only missions' and intel's services; runs once (skips missions that
exist); times are relative to the moment it runs, everything else is fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from lifeline.core.services import Actor
from lifeline.intel.services import report_file
from lifeline.missions import services
from lifeline.missions.models import Mission, MissionMember, Vehicle
from lifeline.people.models import Person
from lifeline.people.services import person_register

MAVRAH = (31.7012, -4.0331)
BRAVO = (31.7035, -4.0352)
QASR = (31.6580, -3.9870)


def _person(actor: Actor, given: str, family: str, callsign: str) -> Person:
    found = Person.objects.alive().filter(given_name=given, family_name=family).first()
    if found is not None:
        return found
    return person_register(actor=actor, given_name=given, family_name=family, callsign=callsign)


def _vehicle(actor: Actor, name: str, **values: object) -> Vehicle:
    found = Vehicle.objects.alive().filter(name=name).first()
    return found or services.vehicle_register(actor=actor, name=name, **values)  # type: ignore[arg-type]


def load(*, actor_by_role: Mapping[str, Actor]) -> list[Mission]:
    """Plan and run the demo missions as the commander and the field team (once)."""
    commander, team = actor_by_role["commander"], actor_by_role["field_team"]
    if Mission.objects.alive().filter(name="Search and rescue, Mavrah").exists():
        return []
    now = timezone.now()
    cruiser = _vehicle(commander, "Land Cruiser 2", kind="4x4", plate="LL-02", fuel_percent=80)
    unimog = _vehicle(commander, "Unimog", kind="truck", plate="LL-07", fuel_percent=60)
    _vehicle(commander, "Hilux 1", kind="pickup", status="in_repair", fuel_percent=20)
    # The recon unit and the rescue team of story 001, registered by the story loader.
    rafiq = _person(commander, "Rafiq", "", "RAFIQ")
    hana = _person(commander, "Hana", "Song", "DOC")
    maaz = _person(commander, "Maaz", "", "MAAZ")

    recon = services.mission_plan(
        actor=commander,
        name="Recon, Qasr al-Hanif",
        kind="recon",
        objective="Look at the old fort and the crates reported there; count any armed men.",
        area="Qasr al-Hanif",
        standing_orders="No engagement unless necessary. Back before dark.",
        planned_start=now - dt.timedelta(hours=3),
        checkin_interval_minutes=45,
        latitude=QASR[0],
        longitude=QASR[1],
        members=[
            {"person": hana, "role": "leader"},
            {"person": maaz, "role": "member"},
            {"user": team, "role": "radio_operator"},
        ],
        points=[
            {"kind": "waypoint", "name": "Dry wash", "latitude": 31.675, "longitude": -4.005},
            {"kind": "objective", "name": "Old fort", "latitude": QASR[0], "longitude": QASR[1]},
            {"kind": "rally", "name": "Alpha", "latitude": 31.668, "longitude": -3.995},
        ],
        vehicles=[unimog],
    )
    services.mission_transition(actor=commander, mission=recon, to="briefed")
    services.mission_transition(
        actor=team, mission=recon, to="under_way", at=now - dt.timedelta(hours=2, minutes=40)
    )
    services.mission_checkin(
        actor=team,
        mission=recon,
        latitude=31.675,
        longitude=-4.005,
        status="ok",
        note="at the dry wash",
        at=now - dt.timedelta(minutes=40),
    )
    report_file(
        actor=team,
        mission=recon,
        kind="sighting",
        count=6,
        armed="yes",
        direction="e",
        hostile_group="Black Scorpions",
        text="two technicals near the fort",
        latitude=31.660,
        longitude=-3.990,
        occurred_at=now - dt.timedelta(minutes=35),
    )
    report_file(
        actor=team,
        mission=recon,
        kind="cache",
        place="Qasr al-Hanif, fort cellar",
        latitude=QASR[0],
        longitude=QASR[1],
        occurred_at=now - dt.timedelta(minutes=30),
        items=[{"name": "vaccine", "quantity": 12, "unit": "crate"}],
        text="vaccine crates, cold box intact, marked for pickup",
    )

    rescue = services.mission_plan(
        actor=commander,
        name="Search and rescue, Mavrah",
        kind="search_and_rescue",
        objective="Search the school and the souk for survivors; bring them out through Bravo.",
        area="Mavrah",
        standing_orders="No engagement unless necessary. Avoid the hot streets east of the mosque.",
        planned_start=now - dt.timedelta(hours=2),
        checkin_interval_minutes=30,
        latitude=MAVRAH[0],
        longitude=MAVRAH[1],
        members=[
            {"person": rafiq, "role": "leader"},
            {"person": hana, "role": "medic"},
        ],
        points=[
            {"kind": "waypoint", "name": "School", "latitude": 31.7012, "longitude": -4.0331},
            {"kind": "waypoint", "name": "Souk", "latitude": 31.7020, "longitude": -4.0345},
            {"kind": "extraction", "name": "Bravo", "latitude": BRAVO[0], "longitude": BRAVO[1]},
        ],
        vehicles=[cruiser],
    )
    services.mission_transition(actor=commander, mission=rescue, to="briefed")
    services.mission_transition(
        actor=team, mission=rescue, to="under_way", at=now - dt.timedelta(hours=1, minutes=50)
    )
    leader = MissionMember.objects.get(mission=rescue, radio_number=1)
    services.mission_checkin(
        actor=team,
        mission=rescue,
        member=leader,
        latitude=31.7012,
        longitude=-4.0331,
        status="ok",
        note="at the school",
        at=now - dt.timedelta(minutes=55),
    )
    report_file(
        actor=team,
        mission=rescue,
        kind="survivors",
        member=leader,
        place="Mavrah school",
        latitude=31.7013,
        longitude=-4.0330,
        occurred_at=now - dt.timedelta(minutes=50),
        groups=[
            {"age_band": "5-11", "condition": "dehydrated", "count": 4},
            {"age_band": "60+", "condition": "ill", "count": 1},
        ],
        text="four children, one elderly, sending coordinates",
    )
    # No check-in since: the board shows this team overdue, and the sweep raises the alert.

    convoy = services.mission_plan(
        actor=commander,
        name="Convoy, vaccine crates",
        kind="convoy",
        objective="Pick up the vaccine crates found at Qasr al-Hanif; keep the cold chain.",
        area="Qasr al-Hanif",
        standing_orders="Stay on the north road. No engagement.",
        planned_start=now + dt.timedelta(hours=4),
        checkin_interval_minutes=30,
        latitude=QASR[0],
        longitude=QASR[1],
        points=[
            {"kind": "objective", "name": "Fort cellar", "latitude": QASR[0], "longitude": QASR[1]}
        ],
    )
    services.mission_transition(actor=commander, mission=convoy, to="briefed")

    patrol = services.mission_plan(
        actor=commander,
        name="Patrol, north road",
        kind="patrol",
        objective="Check the north road is open.",
        area="North road",
        planned_start=now - dt.timedelta(days=1, hours=6),
        checkin_interval_minutes=60,
    )
    services.mission_transition(actor=commander, mission=patrol, to="briefed")
    services.mission_transition(
        actor=team, mission=patrol, to="under_way", at=now - dt.timedelta(days=1, hours=5)
    )
    services.mission_transition(
        actor=team, mission=patrol, to="returning", at=now - dt.timedelta(days=1, hours=2)
    )
    services.mission_transition(
        actor=commander, mission=patrol, to="complete", at=now - dt.timedelta(days=1, hours=1)
    )
    services.mission_debrief(
        actor=commander, mission=patrol, summary="Road open; a crater at km 12 is passable."
    )
    services.missions_overdue_sweep()
    return [recon, rescue, convoy, patrol]
