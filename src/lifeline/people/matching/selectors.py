"""Finding people under any spelling, and records that are probably one person.

`person_search` asks the name index (`matching.index_store`) for candidates and scores each with
`matching.names.candidate_score` (names, age, sex, household, place), with the reasons in words.
`duplicates_find` pairs records that share a name key and scores each pair the same way; a
registrar merges them with the reversible `people.services.person_merge`. The plain search
of `people.selectors.person_find` stays for exact words.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from lifeline.core.errors import ValidationFailed
from lifeline.core.services import Actor, permission_require
from lifeline.people import rules
from lifeline.people.matching.index_store import index_current
from lifeline.people.matching.names import (
    Candidate,
    Probe,
    Scored,
    candidate_score,
    name_parse,
    person_tokens,
)
from lifeline.people.models import Person, Sex

MAX_LIMIT = 100
# A pair of records scoring this much or more is listed as a probable duplicate.
DUPLICATE_THRESHOLD = 0.9
DUPLICATE_BLOCK = 40  # records sharing one name key beyond which the key says too little


@dataclass(frozen=True)
class SearchMatch:
    person: Person
    score: float
    name_score: float
    reasons: tuple[str, ...]


def person_candidate(person: Person, today: dt.date | None = None) -> Candidate:
    """What the scorer compares of a registered person."""
    today = today or timezone.localdate()
    age = rules.age_on(person.date_of_birth, today) if person.date_of_birth else None
    return Candidate(
        name=person_tokens([person.given_name, person.family_name, *person.other_names]),
        age=age,
        sex=person.sex if person.sex in (Sex.FEMALE, Sex.MALE) else None,
        household=str(person.household_id) if person.household_id else None,
        site=person.current_site.code if person.current_site_id and person.current_site else None,
    )


def _probe_check(query: str, age: int | None, sex: str | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not name_parse(query or "").tokens:
        problems["q"] = "give at least one name to search for"
    if age is not None and not 0 <= age <= rules.MAX_AGE_YEARS:
        problems["age"] = f"must be between 0 and {rules.MAX_AGE_YEARS}"
    if sex not in (None, "", *Sex.values):
        problems["sex"] = f"must be one of {', '.join(Sex.values)}"
    return problems


def person_search(
    *,
    actor: Actor | None,
    query: str,
    age: int | None = None,
    sex: str | None = None,
    site: str | None = None,
    household: uuid.UUID | str | None = None,
    limit: int = 10,
) -> list[SearchMatch]:
    """People whose names match `query` in any spelling, script or order, best first."""
    permission_require(actor, "people.view_person", doing="see people")
    problems = _probe_check(query, age, sex)
    if not 1 <= limit <= MAX_LIMIT:
        problems["limit"] = f"must be between 1 and {MAX_LIMIT}"
    if problems:
        raise ValidationFailed(problems)
    probe = Probe(
        name=name_parse(query),
        age=age,
        sex=sex if sex in (Sex.FEMALE, Sex.MALE) else None,
        household=str(household) if household else None,
        site=site or None,
    )
    return probe_search(probe, limit=limit)


def probe_search(
    probe: Probe, *, limit: int, exclude: set[uuid.UUID] | None = None
) -> list[SearchMatch]:
    """The scored matches of a probe (no permission check: callers check theirs)."""
    today = timezone.localdate()
    hits = index_current().search(probe, limit=max(limit * 3, 30), year=today.year)
    ids = [h.person_id for h in hits if not exclude or h.person_id not in exclude]
    people = Person.objects.alive().select_related("current_site").in_bulk(ids)
    matches = []
    for person in people.values():
        scored: Scored = candidate_score(probe, person_candidate(person, today))
        matches.append(SearchMatch(person, scored.score, scored.name_score, scored.reasons))
    matches.sort(key=lambda m: (-m.score, m.person.family_name, m.person.given_name))
    return matches[:limit]


@dataclass(frozen=True)
class DuplicatePair:
    first: Person
    second: Person
    score: float
    reasons: tuple[str, ...]


def duplicates_find(*, actor: Actor | None, limit: int = 50) -> list[DuplicatePair]:
    """Probable duplicate records across the registry, best first, with the reasons.

    Records that share a pair of name skeletons (or a single one, for one-name records) are
    compared; each pair is scored from both sides and the lower score kept.
    """
    permission_require(actor, "people.merge_person", doing="look for duplicate records")
    if not 1 <= limit <= 500:
        raise ValidationFailed({"limit": "must be between 1 and 500"})
    index = index_current()
    pairs = index.duplicate_candidates(max_block=DUPLICATE_BLOCK)
    ids = {pid for pair in pairs for pid in pair}
    people = Person.objects.alive().select_related("current_site").in_bulk(list(ids))
    today = timezone.localdate()
    candidates = {pk: person_candidate(p, today) for pk, p in people.items()}
    found: list[DuplicatePair] = []
    for a, b in pairs:
        if a not in people or b not in people:
            continue
        ca, cb = candidates[a], candidates[b]
        forward = candidate_score(Probe(ca.name, ca.age, ca.sex, None, ca.site), cb)
        backward = candidate_score(Probe(cb.name, cb.age, cb.sex, None, cb.site), ca)
        worst = forward if forward.score <= backward.score else backward
        if worst.score >= DUPLICATE_THRESHOLD:
            first, second = sorted((people[a], people[b]), key=lambda p: (p.created_at, p.pk))
            found.append(DuplicatePair(first, second, worst.score, worst.reasons))
    found.sort(key=lambda d: (-d.score, d.first.family_name, d.first.given_name))
    return found[:limit]
