"""Load the demo once: sites, the story's people and the generated population, in one
transaction, with a marker setting that makes every later load a no-op."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction

from lifeline.core.clock import site_local
from lifeline.core.models import Setting
from lifeline.core.services import setting_put
from lifeline.demo import care as care_demo
from lifeline.demo import care_allocation as care_allocation_demo
from lifeline.demo import facilities as facilities_demo
from lifeline.demo import missions as missions_demo
from lifeline.demo import routing as routing_demo
from lifeline.demo import supplies as supplies_demo
from lifeline.demo import threats as threats_demo
from lifeline.demo.accounts import Cast
from lifeline.demo.cases import cases_load
from lifeline.demo.population import DEFAULT_SIZE, POPULATION_SEED, population_load
from lifeline.demo.scenario import demo_sites_ensure, story_load
from lifeline.people.models import ConditionObservation, Household, Person, StatusEvent

DEMO_MARKER = "demo.loaded"


@dataclass(frozen=True)
class DemoLoad:
    loaded: bool  # False when the marker said the demo was already there
    story_persons: int = 0
    generated_persons: int = 0


def demo_loaded() -> bool:
    # Any site's marker counts: the same database run under another LIFELINE_SITE holds the
    # demo already.
    return Setting.objects.filter(key=DEMO_MARKER).exists()


def demo_load(*, cast: Cast, population: int = DEFAULT_SIZE) -> DemoLoad:
    """Load the demo unless the marker says it is there. One transaction: all or nothing,
    and SQLite writes the whole load with one commit instead of one per row."""
    with transaction.atomic():
        if demo_loaded():
            return DemoLoad(loaded=False)
        sites = demo_sites_ensure()
        story = story_load(cast=cast, sites=sites)
        cases_load(cast=cast, story=story)
        generated = population_load(cast=cast, sites=sites, size=population)
        actor_by_role = {
            "commander": cast.commander,
            "logistics": cast.logistics,
            "field_team": cast.field_team,
            "medic": cast.medic,
        }
        supplies_demo.load(actor_by_role=actor_by_role)
        missions_demo.load(actor_by_role=actor_by_role)
        routing_demo.load(actor_by_role=actor_by_role)
        care_demo.load(actor_by_role={**actor_by_role, "medic": cast.medic})
        threats_demo.load(actor_by_role=actor_by_role)
        care_allocation_demo.load(actor_by_role=actor_by_role)
        facilities_demo.load(actor_by_role=actor_by_role)
        setting_put(
            actor=cast.commander,
            site=site_local(),
            key=DEMO_MARKER,
            value={
                "story_persons": len(story.people),
                "generated_persons": generated,
                "seed": POPULATION_SEED,
            },
        )
    return DemoLoad(loaded=True, story_persons=len(story.people), generated_persons=generated)


def demo_digest() -> str:
    """A digest of what the demo holds, without ids or write times: two loads of the same
    demo give the same digest."""
    rows: list[list[object]] = []
    for person in Person.objects.select_related("household", "current_site"):
        rows.append(
            [
                "person",
                person.given_name,
                person.family_name,
                person.other_names,
                person.sex,
                str(person.date_of_birth),
                person.birth_date_estimated,
                person.languages,
                person.status,
                person.current_site.code if person.current_site else None,
                person.current_area,
                str(person.status_since),
                person.household.ration_card if person.household else None,
            ]
        )
    for event in StatusEvent.objects.select_related("person", "site"):
        rows.append(
            [
                "status",
                event.person.full_name,
                event.status,
                event.site.code if event.site else None,
                event.area,
                event.latitude,
                event.longitude,
                str(event.occurred_at),
                event.note,
            ]
        )
    for observation in ConditionObservation.objects.select_related("person"):
        rows.append(
            [
                "condition",
                observation.person.full_name,
                observation.condition,
                observation.present,
                str(observation.observed_at),
                observation.note,
            ]
        )
    for household in Household.objects.select_related("head", "site"):
        rows.append(
            [
                "household",
                household.ration_card,
                household.shelter,
                household.area,
                household.site.code if household.site else None,
                household.head.full_name if household.head else None,
            ]
        )
    # Sorted by content: the order rows come back in is no part of the demo.
    lines = sorted(json.dumps(row, default=str) for row in rows)
    blob = "\n".join(lines).encode()
    return hashlib.sha256(blob).hexdigest()
