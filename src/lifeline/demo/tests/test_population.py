"""The generated population: deterministic, camp-like, and loaded through the services."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from lifeline.demo.accounts import Cast
from lifeline.demo.loader import demo_digest, demo_load
from lifeline.demo.population import DEFAULT_SIZE, population_plan
from lifeline.demo.scenario import STORY_DATE
from lifeline.people.models import Person


def test_the_same_seed_plans_the_same_population() -> None:
    assert population_plan(size=500) == population_plan(size=500)
    assert population_plan(size=500, seed=1) != population_plan(size=500)


def test_the_plan_has_the_requested_size_in_camp_sized_households() -> None:
    plan = population_plan(size=DEFAULT_SIZE)

    persons = [member for household in plan for member in household.members]
    assert len(persons) == DEFAULT_SIZE
    assert 600 <= len(plan) <= 800
    assert len({household.ration_card for household in plan}) == len(plan)
    assert Counter(household.site_code for household in plan).keys() == {
        "desert-base",
        "forest-camp",
        "the-compound",
    }


def test_the_plan_has_a_camp_like_age_pyramid_and_some_missing_people() -> None:
    persons = [m for household in population_plan(size=DEFAULT_SIZE) for m in household.members]

    children = sum(1 for p in persons if p.age < 18) / len(persons)
    under_five = sum(1 for p in persons if p.age < 5) / len(persons)
    elderly = sum(1 for p in persons if p.age >= 60) / len(persons)
    assert 0.4 < children < 0.65
    assert 0.1 < under_five < 0.3
    assert 0.03 < elderly < 0.12
    statuses = Counter(event.status for p in persons for event in p.events)
    assert {"missing", "in_care", "evacuated", "transferred", "deceased"} <= set(statuses)


def test_every_planned_time_is_before_the_story_date() -> None:
    for household in population_plan(size=DEFAULT_SIZE):
        assert household.arrived_at < STORY_DATE
        for member in household.members:
            assert all(household.arrived_at < e.when < STORY_DATE for e in member.events)
            assert all(household.arrived_at < o.when < STORY_DATE for o in member.observations)


def test_two_loads_give_the_same_people_and_histories(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The missions part is timed relative to the moment it runs (so that a team is overdue
    # now): the same moment for both loads.
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    digests = []
    for _ in range(2):
        # Each load into an empty registry, rolled back afterwards: two databases in turn.
        with pytest.raises(_RolledBack), transaction.atomic():
            assert demo_load(cast=cast, population=60).loaded
            assert Person.objects.count() > 60
            digests.append(demo_digest())
            raise _RolledBack
        assert Person.objects.count() == 0

    assert digests[0] == digests[1]


class _RolledBack(Exception):
    pass


@pytest.mark.slow
def test_the_full_demo_loads_the_default_population_once(cast: Cast) -> None:
    result = demo_load(cast=cast)

    assert result.generated_persons == DEFAULT_SIZE
    # Plus the unidentified survivors that the missions' field reports registered.
    loaded = Person.objects.count()
    assert loaded > DEFAULT_SIZE + result.story_persons
    assert not demo_load(cast=cast).loaded
    assert Person.objects.count() == loaded
