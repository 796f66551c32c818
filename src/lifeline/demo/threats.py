"""The threat part of the demo, from the stories: Ayoub Essouibrat's men, whose forest camp the
Forest Camp team raided ("he would hunt"), and Jace's band, beaten back from The Compound and
sworn to return; where each was seen; armed men in Mavrah's hot streets east of the mosque (the
streets Rafiq's extraction route keeps away from); the watch posts of Desert Base and their log.
Calls only intel's services; runs once (skips when Jace's band is known). Story sightings are at
the stories' fixed times (long decayed); the Mavrah and watch entries are relative to the moment
it runs, so that the map shows fresh risk and the rescue team's route alert.

Choices the stories leave open: the sizes (Ayoub's "men fell into line like wolves": about 25;
Jace's band "thinned to a mere scattering of wounded figures": about 6), the places of the
sightings around the story's sites, the watch posts' positions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from lifeline.core.services import Actor
from lifeline.demo.scenario import AYOUB_CAMP, THE_COMPOUND, WOOD_PARTY_RAID, at
from lifeline.intel.models import HostileGroup, PerimeterLogEntry
from lifeline.intel.threats.services import (
    hostile_group_create,
    perimeter_log,
    sighting_record,
    watch_post_create,
)

# East of the mosque, where the demo zone "Hot streets east of the mosque" is drawn.
MAVRAH_HOT_STREETS = (31.7012, -4.0296)
MAVRAH_TOWARDS_SOUK = (31.7016, -4.0322)
DESERT_BASE_POSTS = (
    ("North gate", 31.9497, -4.4010, "The gate on the valley road."),
    ("Ridge", 31.9466, -4.3984, "Overlooks the valley, where Hana watches the horizon."),
)


def load(*, actor_by_role: Mapping[str, Actor]) -> list[HostileGroup]:
    """Name the groups, record their sightings and the watch's log (once)."""
    commander, team = actor_by_role["commander"], actor_by_role["field_team"]
    if HostileGroup.objects.alive().filter(name="Jace's band").exists():
        return []
    now = timezone.now()
    ayoub = hostile_group_create(
        actor=commander,
        name="Ayoub Essouibrat's men",
        leader="Ayoub Essouibrat",
        size_estimate=25,
        notes="Held captives at their forest camp. The Forest Camp team freed six of them and "
        "took a crate of antibiotics and two hunting rifles; Ayoub will not forgive it. "
        '"He would hunt."',
    )
    jace = hostile_group_create(
        actor=commander,
        name="Jace's band",
        leader="Jace",
        size_estimate=6,
        notes="Besieged The Compound; beaten back at the barn and retreated with Ellie, many "
        'wounded. Jace vowed they would return: "this isn\'t over!"',
    )
    sighting_record(
        actor=commander,
        latitude=WOOD_PARTY_RAID[0],
        longitude=WOOD_PARTY_RAID[1],
        count=8,
        confidence=0.9,
        seen_at=at(10, 3, 10, 40),
        hostile_group=ayoub,
        source="radio",
        notes="Took the wood party at the wood-gathering ground.",
    )
    sighting_record(
        actor=commander,
        latitude=AYOUB_CAMP[0],
        longitude=AYOUB_CAMP[1],
        count=25,
        confidence=0.9,
        seen_at=at(10, 28, 23, 40),
        hostile_group=ayoub,
        source="radio",
        notes="Their camp, the night of the raid: Ayoub's men pressed the assault.",
    )
    sighting_record(
        actor=commander,
        latitude=THE_COMPOUND.latitude + 0.004,
        longitude=THE_COMPOUND.longitude - 0.006,
        count=6,
        confidence=0.9,
        seen_at=at(10, 30, 6, 10),
        hostile_group=jace,
        source="radio",
        notes="Pulling back from the barn at dawn, wounded, towards the north-west.",
    )
    # Mavrah: the armed men seen at dusk east of the mosque (no group known), and an hour ago
    # two of them moving west towards the souk, on the rescue team's way out: a route alert.
    sighting_record(
        actor=team,
        latitude=MAVRAH_HOT_STREETS[0],
        longitude=MAVRAH_HOT_STREETS[1],
        count=4,
        confidence=0.6,
        seen_at=now - dt.timedelta(hours=5),
        source="radio",
        notes="Armed men in the streets east of the mosque.",
    )
    sighting_record(
        actor=team,
        latitude=MAVRAH_TOWARDS_SOUK[0],
        longitude=MAVRAH_TOWARDS_SOUK[1],
        count=2,
        confidence=0.9,
        seen_at=now - dt.timedelta(hours=1),
        source="radio",
        notes="Two armed men moving west from the mosque towards the souk.",
    )
    posts = {
        name: watch_post_create(
            actor=commander, name=name, latitude=lat, longitude=lon, notes=notes
        )
        for name, lat, lon, notes in DESERT_BASE_POSTS
    }
    if not PerimeterLogEntry.objects.exists():
        perimeter_log(
            actor=team,
            post=posts["North gate"],
            seen="nothing",
            observed_at=now - dt.timedelta(hours=6),
            notes="Dawn watch, all quiet.",
        )
        perimeter_log(
            actor=team,
            post=posts["North gate"],
            seen="civilians",
            count=3,
            direction="n",
            distance_m=400,
            observed_at=now - dt.timedelta(hours=4),
            notes="A family walking in on the valley road; brought to registration.",
        )
        perimeter_log(
            actor=team,
            post=posts["Ridge"],
            seen="hostile",
            count=2,
            direction="ne",
            distance_m=1500,
            confidence=0.3,
            observed_at=now - dt.timedelta(hours=2),
            notes="Two men watching the camp from the dunes, then gone. Scouts?",
        )
    return [ayoub, jace]
