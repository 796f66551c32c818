"""The registry's one search box and the duplicate warning at registration.

`registry_search` answers the registry list's box with the spelling-robust name search
(`matching.selectors.person_search`: Raheem finds Rahim, أمل finds Amal) and keeps the list's
plain filters (status, site, sex, age, condition) as filters, through `people.selectors
.person_list`. `registration_duplicates` proposes the persons a new arrival probably already
is, before the record is written. Each hit says why in words (`matching.explain`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.services import Actor, permission_require
from lifeline.people import rules
from lifeline.people.matching.explain import match_explain, person_is_unnamed
from lifeline.people.matching.names import Probe, name_parse, spelling_words
from lifeline.people.matching.selectors import SearchMatch, person_search, probe_search
from lifeline.people.models import Person, Sex
from lifeline.people.selectors import PersonFilters, person_list

# A name scoring below this is not shown as a hit of the registry's box (Amal for Kamal is
# 0.66, Raheem for Karim 0.33).
SEARCH_NAME_FLOOR = 0.6
SEARCH_LIMIT = 100
# A registered person is a likely duplicate of an arrival when the names are one name
# (a spelling) and the whole score, with age and sex, stays high.
DUPLICATE_NAME_FLOOR = 0.85
DUPLICATE_SCORE_FLOOR = 0.8
DUPLICATES_SHOWN = 5


@dataclass(frozen=True)
class Hit:
    """One person found, with the reason in words."""

    person: Person
    score: float
    reason: str
    age: int | None


def _age(person: Person, today: dt.date) -> int | None:
    return rules.age_on(person.date_of_birth, today) if person.date_of_birth else None


def _hits(query: str, matches: list[SearchMatch]) -> list[Hit]:
    today = timezone.localdate()
    return [
        Hit(
            person=m.person,
            score=m.score,
            reason=match_explain(
                query,
                given_name=m.person.given_name,
                family_name=m.person.family_name,
                other_names=m.person.other_names,
            ),
            age=_age(m.person, today),
        )
        for m in matches
    ]


def registry_search(*, actor: Actor | None, filters: PersonFilters) -> list[Hit]:
    """The persons whose names match `filters.q` in any spelling, best first, that also pass
    the other filters. Raises ValidationFailed for a query with no name in it."""
    matches = person_search(actor=actor, query=filters.q, limit=SEARCH_LIMIT)
    matches = [m for m in matches if m.name_score >= SEARCH_NAME_FLOOR]
    ids = [m.person.pk for m in matches]
    # The plain filters through the list's own selector: the same rules (and audit) as the list.
    allowed = set(
        person_list(actor=actor, filters=replace(filters, q=""))
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    return _hits(filters.q, [m for m in matches if m.person.pk in allowed])


def registry_search_filters(*, actor: Actor | None, filters: PersonFilters) -> PersonFilters:
    """The list's filters that select what the box shows for `filters`: with a name, its
    hits (so a download of the page holds the persons the page showed), else as they are."""
    if not filters.q.strip():
        return filters
    hits = registry_search(actor=actor, filters=filters)
    return replace(filters, ids=tuple(str(h.person.pk) for h in hits))


def registration_duplicates(
    *,
    actor: Actor | None,
    given_name: str,
    family_name: str = "",
    other_names: Any = (),
    sex: str | None = None,
    age: int | None = None,
    site: str | None = None,
) -> list[Hit]:
    """Registered persons a new arrival probably is, best first. A person whose registered
    name is a placeholder ("Unknown") is never proposed on the name alone, nor is any person
    for an arrival whose own name is one."""
    permission_require(actor, "people.add_person", doing=_("register people"))
    if person_is_unnamed(given_name, family_name):
        return []
    others = [n for n in (other_names or ()) if isinstance(n, str)]
    query = " ".join(n for n in (given_name, family_name, *others) if n).strip()
    name = name_parse(query)
    if not name.tokens:
        return []
    probe = Probe(
        name=name,
        spelling=spelling_words([query]),
        age=age,
        sex=sex if sex in (Sex.FEMALE, Sex.MALE) else None,
        site=site or None,
    )
    matches = [
        m
        for m in probe_search(probe, limit=DUPLICATES_SHOWN * 4)
        if m.name_score >= DUPLICATE_NAME_FLOOR
        and m.score >= DUPLICATE_SCORE_FLOOR
        and not person_is_unnamed(m.person.given_name, m.person.family_name)
    ]
    return _hits(query, matches[:DUPLICATES_SHOWN])
