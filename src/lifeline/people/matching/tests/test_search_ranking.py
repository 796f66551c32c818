"""person_search reads only the columns it scores by and builds the persons it shows: its answers
(persons, order, scores, reasons) are those of scoring every candidate read whole, as it did
before (the reference below), on a registry of namesakes, spellings, scripts, ages, sexes and
households."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from lifeline.people import services
from lifeline.people.matching import selectors
from lifeline.people.matching.index_store import index_current
from lifeline.people.matching.names import (
    Probe,
    candidate_score,
    name_parse,
    spelling_closeness,
    spelling_words,
)
from lifeline.people.models import Person, Sex

pytestmark = pytest.mark.django_db

GIVEN = ["Ahmad", "Ahmed", "Layla", "Leila", "ليلى", "Karim", "Karima", "Youssef", "Yusuf", "Nour"]
FAMILY = ["Sherif", "Cherif", "Haddad", "الحداد", "Ben Ali", "Tazi", "Idrissi", "Karimi", ""]
QUERIES = [
    "Ahmad Sherif", "Ahmed", "Leila Haddad", "ليلى الحداد", "Karim", "Karima Tazi", "Yusuf",
    "Youssef Ben Ali", "Nour Idrissi", "Sherif", "Haddad", "Karimi Ahmad",
]  # fmt: skip


def _reference(probe: Probe, limit: int) -> list[tuple[Any, float, float, tuple[str, ...]]]:
    """The re-rank as it was: every candidate the index gives read whole and scored."""
    today = timezone.localdate()
    hits = index_current().search(probe, limit=max(limit * 3, 30), year=today.year)
    people = (
        Person.objects.alive().select_related("current_site").in_bulk([h.person_id for h in hits])
    )
    ranked = []
    for person in people.values():
        scored = candidate_score(probe, selectors.person_candidate(person, today))
        names = [person.given_name, person.family_name, *person.other_names]
        closeness = spelling_closeness(probe.spelling, spelling_words(names))
        ranked.append(
            (-scored.score, -closeness, person.family_name, person.given_name, person, scored)
        )
    ranked.sort(key=lambda r: r[:4])
    return [(r[4].pk, r[5].score, r[5].name_score, r[5].reasons) for r in ranked[:limit]]


def test_person_search_answers_as_scoring_every_candidate_whole_does(registrar: Any) -> None:
    rng = random.Random(16)
    today = timezone.localdate()
    households = [services.household_create(actor=registrar, shelter=f"H{i}") for i in range(3)]
    for i in range(150):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        services.person_register(
            actor=registrar,
            given_name=given,
            family_name=family,
            other_names=[rng.choice(GIVEN)] if i % 4 == 0 else [],
            sex=rng.choice([Sex.FEMALE, Sex.MALE, Sex.UNKNOWN]),
            date_of_birth=today - dt.timedelta(days=rng.randint(200, 30_000)) if i % 5 else None,
            household=rng.choice(households) if i % 3 == 0 else None,
        )
    compared = 0
    for text in QUERIES:
        for limit in (1, 5, 10, 40):
            for age, sex in ((None, None), (30, Sex.MALE), (8, Sex.FEMALE)):
                found = selectors.person_search(
                    actor=registrar, query=text, age=age, sex=sex, limit=limit
                )
                probe = Probe(
                    name=name_parse(text), spelling=spelling_words([text]), age=age, sex=sex
                )
                assert [
                    (m.person.pk, m.score, m.name_score, m.reasons) for m in found
                ] == _reference(probe, limit), (text, limit, age, sex)
                assert all(m.person.current_site is not None for m in found)
                compared += len(found)
    assert compared > 500  # the queries find persons (the comparison is not of empty lists)
