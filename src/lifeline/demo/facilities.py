"""The facilities part of the demo, from the stories: Desert Base's buildings with the wind's
damage to one shelter, and tonight's watch on its two posts with the small hours at the Ridge
left uncovered (the roster flags it); The Compound after the siege, where Mark and Darren
"assess the damage" and "patch up breaches in the defenses": a breach in the south wall, the
gate off a hinge, the food store the fire took. Calls only the facilities services.

Choices the stories leave open: the buildings and their capacities, which wall was breached,
who stands which watch (Rafiq and Maaz of the recon unit, Samira and Rima of the camp)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from lifeline.core.models import Site
from lifeline.core.services import Actor
from lifeline.demo.scenario import DESERT_BASE, THE_COMPOUND
from lifeline.facilities import services
from lifeline.facilities.models import Facility, Shift
from lifeline.intel.models import WatchPost
from lifeline.people.models import Person

# name, kind, capacity, latitude, longitude
DESERT_BASE_FACILITIES = (
    ("Clinic", "clinic", 12, 31.9478, -4.4006),
    ("Mess hall", "kitchen", 300, 31.9482, -4.4013),
    ("Shelter A", "shelter", 40, 31.9476, -4.4016),
    ("Shelter B", "shelter", 40, 31.9474, -4.4012),
    ("Shelter C", "shelter", 40, 31.9472, -4.4008),
    ("Water point 1", "water_point", 8000, 31.9481, -4.4002),
    ("Water point 2", "water_point", 6000, 31.9470, -4.4015),
    ("Generator", "generator", 20, 31.9484, -4.4008),
    ("Main store", "store", None, 31.9483, -4.4004),
    ("North wall", "wall", None, 31.9496, -4.4012),
)
COMPOUND_FACILITIES = (
    ("South wall", "wall", None, 33.8412, -5.6121),
    ("Main gate", "gate", None, 33.8416, -5.6128),
    ("Infirmary", "clinic", 8, 33.8421, -5.6118),
    ("Food store", "store", None, 33.8419, -5.6124),
    ("Main house", "shelter", 60, 33.8423, -5.6121),
    ("Water tank", "water_point", 5000, 33.8425, -5.6116),
)


def _site(code: str) -> Site:
    return Site.objects.get(code=code)


def _person(given: str) -> Person | None:
    return Person.objects.alive().filter(given_name=given).order_by("created_at").first()


def load(*, actor_by_role: Mapping[str, Actor]) -> None:
    """Register the two camps' facilities, their damage and repairs, and tonight's watch."""
    commander, logistics = actor_by_role["commander"], actor_by_role["logistics"]
    team = actor_by_role["field_team"]
    if Facility.objects.exists():
        return
    base = {
        name: services.facility_register(
            actor=logistics,
            name=name,
            kind=kind,
            capacity=capacity,
            latitude=lat,
            longitude=lon,
            site=_site(DESERT_BASE.code),
        )
        for name, kind, capacity, lat, lon in DESERT_BASE_FACILITIES
    }
    compound = {
        name: services.facility_register(
            actor=logistics,
            name=name,
            kind=kind,
            capacity=capacity,
            latitude=lat,
            longitude=lon,
            site=_site(THE_COMPOUND.code),
        )
        for name, kind, capacity, lat, lon in COMPOUND_FACILITIES
    }
    now = timezone.now()

    wind = services.damage_assess(
        actor=team,
        facility=base["Shelter C"],
        severity=2,
        safe_to_use=True,
        damage="Night wind tore three roof sheets off the east end; that end is open to the sky.",
        capacity_lost=12,
        assessed_at=now - dt.timedelta(hours=9),
    )
    roof = services.work_order_raise(
        actor=logistics,
        facility=base["Shelter C"],
        title="Refit the roof sheets at the east end",
        priority="high",
        assessment=wind,
    )
    services.work_order_start(actor=logistics, order=roof)

    breach = services.damage_assess(
        actor=commander,
        facility=compound["South wall"],
        severity=3,
        safe_to_use=False,
        damage="A breach about two metres wide where Jace's men blew the wall; rubble outside.",
        assessed_at=now - dt.timedelta(days=2),
    )
    services.work_order_raise(
        actor=logistics,
        facility=compound["South wall"],
        title="Patch the breach in the south wall (sandbags, then block)",
        priority="urgent",
        assessment=breach,
    )
    gate = services.damage_assess(
        actor=commander,
        facility=compound["Main gate"],
        severity=2,
        safe_to_use=True,
        damage="Hangs on one hinge; closes only with two people.",
        assessed_at=now - dt.timedelta(days=2),
    )
    hinge = services.work_order_raise(
        actor=logistics,
        facility=compound["Main gate"],
        title="Weld a new hinge on the main gate",
        priority="high",
        assessment=gate,
    )
    services.work_order_close(
        actor=logistics, order=hinge, note="New hinge welded from a truck's leaf spring."
    )
    services.damage_assess(
        actor=commander,
        facility=compound["Food store"],
        severity=4,
        safe_to_use=False,
        damage="Burnt out in the siege: roof fallen in; what was inside is lost.",
        assessed_at=now - dt.timedelta(days=2),
    )
    services.damage_assess(
        actor=commander,
        facility=compound["Infirmary"],
        severity=1,
        safe_to_use=True,
        damage="Bullet holes in the north windows; boarded.",
        assessed_at=now - dt.timedelta(days=2),
    )
    _tonight_watch(commander=commander, team=team)


def _tonight_watch(*, commander: Actor, team: Actor) -> None:
    """Last night's watch (with the hand-over about the shadow at the Ridge) and tonight's,
    whose small hours at the Ridge nobody stands yet."""
    posts = {p.name: p for p in WatchPost.objects.alive()}
    gate, ridge = posts.get("North gate"), posts.get("Ridge")
    if gate is None or ridge is None:
        return
    rafiq, maaz = _person("Rafiq"), _person("Maaz")
    samira, rima = _person("Samira"), _person("Rima")
    local = timezone.localtime()
    tonight = local.replace(hour=18, minute=0, second=0, microsecond=0)
    if local.hour < 6:  # before dawn: "tonight" is the night already under way
        tonight -= dt.timedelta(days=1)
    last_night = tonight - dt.timedelta(days=1)
    hours = dt.timedelta(hours=1)

    def plan(post: WatchPost, start: dt.datetime, length: int, person: Person | None) -> Shift:
        user = team if person is not None and person == rafiq else None
        return services.shift_plan(
            actor=commander,
            post=post,
            starts_at=start,
            ends_at=start + length * hours,
            person=person,
            user=user,
        )

    plan(gate, last_night, 6, rafiq)
    plan(gate, last_night + 6 * hours, 6, maaz)
    plan(ridge, last_night, 6, samira)
    small_hours = plan(ridge, last_night + 6 * hours, 6, rima)
    services.shift_handover(
        actor=commander,
        shift=small_hours,
        note=(
            "A shadow slipped past below the Ridge at about 02:10, heading for the wadi; "
            "gone before I could see who. Keep an eye on the wadi mouth."
        ),
    )
    plan(gate, tonight, 6, rafiq)
    plan(gate, tonight + 6 * hours, 6, maaz)
    plan(ridge, tonight, 6, samira)
    # The Ridge from midnight: Rima stood it last night and must rest; nobody else yet.
    plan(ridge, tonight + 6 * hours, 6, None)
