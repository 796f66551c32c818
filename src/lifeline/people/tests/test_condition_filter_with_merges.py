"""Filtering by a condition follows the latest observation over a person's own and merged
records (the selector looks them up separately, so that each lookup uses an index)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lifeline.people import selectors, services
from lifeline.people.models import Person
from lifeline.people.selectors import PersonFilters


def _wounded(actor: Any) -> set[str]:
    people = selectors.person_list(actor=actor, filters=PersonFilters(condition="wounded"))
    return {p.given_name for p in people}


def _seen(actor: Any, person: Person, present: bool, days_ago: int) -> None:
    services.person_condition_record(
        actor=actor,
        person=person,
        condition="wounded",
        present=present,
        observed_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_a_later_resolution_on_a_merged_record_clears_the_condition(
    commander: Any, site: Any
) -> None:
    kept = services.person_register(actor=commander, given_name="Maaz")
    duplicate = services.person_register(actor=commander, given_name="Maaz", family_name="B")
    _seen(commander, kept, True, days_ago=3)
    _seen(commander, duplicate, False, days_ago=1)
    assert _wounded(commander) == {"Maaz"}

    services.person_merge(actor=commander, survivor=kept, duplicate=duplicate)

    assert _wounded(commander) == set()


def test_a_later_observation_on_a_merged_record_counts_for_the_survivor(
    commander: Any, site: Any
) -> None:
    kept = services.person_register(actor=commander, given_name="Amal")
    duplicate = services.person_register(actor=commander, given_name="Amal", family_name="B")
    _seen(commander, kept, False, days_ago=3)
    _seen(commander, duplicate, True, days_ago=1)
    services.person_merge(actor=commander, survivor=kept, duplicate=duplicate)

    assert _wounded(commander) == {"Amal"}


def test_a_person_without_merges_has_the_condition_of_their_latest_observation(
    commander: Any, site: Any
) -> None:
    rachid = services.person_register(actor=commander, given_name="Rachid")
    hamza = services.person_register(actor=commander, given_name="Hamza")
    _seen(commander, rachid, True, days_ago=5)
    _seen(commander, rachid, False, days_ago=2)
    _seen(commander, hamza, True, days_ago=1)

    assert _wounded(commander) == {"Hamza"}
