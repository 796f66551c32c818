"""Finding people under any spelling, and records that are probably one person.

`person_search` asks the name index (`matching.index_store`) for candidates and scores each with
`matching.names.candidate_score` (names, age, sex, household, place), with the reasons in words.
`duplicates_all` is the review queue of records that are probably one person
(`matching.linkage` finds and weighs them); a registrar merges a pair or marks it "not the same
person" (`matching.services`). The plain search
of `people.selectors.person_find` stays for exact words.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from lifeline.core.errors import NotFound, ValidationFailed
from lifeline.core.services import Actor, permission_require
from lifeline.people import rules
from lifeline.people.matching.index_store import index_current
from lifeline.people.matching.linkage import (
    Linked,
    LinkRecord,
    Reason,
    links_find,
    name_is_placeholder,
    phone_digits,
    record_names,
)
from lifeline.people.matching.names import (
    Candidate,
    Probe,
    Scored,
    candidate_score,
    name_parse,
    person_tokens,
    spelling_closeness,
    spelling_words,
)
from lifeline.people.models import DuplicateDecision, Person, Sex, StatusEvent

MAX_LIMIT = 100


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
        problems["q"] = _("give at least one name to search for")
    if age is not None and not 0 <= age <= rules.MAX_AGE_YEARS:
        problems["age"] = _("must be between 0 and %(MAX_AGE_YEARS)s") % {
            "MAX_AGE_YEARS": rules.MAX_AGE_YEARS
        }
    if sex not in (None, "", *Sex.values):
        problems["sex"] = _("must be one of %(join)s") % {"join": ", ".join(Sex.values)}
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
    permission_require(actor, "people.view_person", doing=_("see people"))
    problems = _probe_check(query, age, sex)
    if not 1 <= limit <= MAX_LIMIT:
        problems["limit"] = _("must be between 1 and %(MAX_LIMIT)s") % {"MAX_LIMIT": MAX_LIMIT}
    if problems:
        raise ValidationFailed(problems)
    probe = Probe(
        name=name_parse(query),
        spelling=spelling_words([query]),
        age=age,
        sex=sex if sex in (Sex.FEMALE, Sex.MALE) else None,
        household=str(household) if household else None,
        site=site or None,
    )
    return probe_search(probe, limit=limit)


# What the scorer reads of a candidate: one row each, no model built (most candidates are
# scored and dropped; only the persons shown are read whole).
_SCORED_FIELDS = (
    "id", "given_name", "family_name", "other_names", "sex", "date_of_birth", "household_id",
    "current_site__code",
)  # fmt: skip


def probe_search(
    probe: Probe, *, limit: int, exclude: set[uuid.UUID] | None = None
) -> list[SearchMatch]:
    """The scored matches of a probe (no permission check: callers check theirs)."""
    today = timezone.localdate()
    hits = index_current().search(probe, limit=max(limit * 3, 30), year=today.year)
    ids = [h.person_id for h in hits if not exclude or h.person_id not in exclude]
    if not ids:
        return []
    rows = Person.objects.alive().filter(pk__in=ids).values_list(*_SCORED_FIELDS)
    ranked = []
    for pk, given, family, others, sex, born, household, site in rows:
        names = [given, family, *(others or [])]
        candidate = Candidate(
            name=person_tokens(names),
            age=rules.age_on(born, today) if born else None,
            sex=sex if sex in (Sex.FEMALE, Sex.MALE) else None,
            household=str(household) if household else None,
            site=site or None,
        )
        scored: Scored = candidate_score(probe, candidate)
        closeness = spelling_closeness(probe.spelling, spelling_words(names))
        ranked.append((-scored.score, -closeness, family, given, pk, scored))
    # Among persons of one score, those written as the searcher wrote first (as the index
    # chose them).
    ranked.sort(key=lambda r: r[:4])
    shown = ranked[:limit]
    people = Person.objects.alive().select_related("current_site").in_bulk([r[4] for r in shown])
    return [
        SearchMatch(people[r[4]], r[5].score, r[5].name_score, r[5].reasons)
        for r in shown
        if r[4] in people  # (a person deleted between the two reads is not shown)
    ]


@dataclass(frozen=True)
class DuplicatePair:
    """Two records that are probably one person: the older first (the one kept by default)."""

    first: Person
    second: Person
    score: float  # the likelihood that they are one person, calibrated (0..1)
    reason_parts: tuple[Reason, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons in words, in the active language."""
        return tuple(gettext(r.template) % dict(r.values) for r in self.reason_parts)

    @property
    def key(self) -> str:
        """The pair as one text: both ids, the lower first (what a decision is filed under)."""
        a, b = sorted((str(self.first.pk), str(self.second.pk)))
        return f"{a}:{b}"


_FINDER_FIELDS = (
    "id", "given_name", "family_name", "other_names", "sex", "date_of_birth",
    "birth_date_estimated", "household_id", "current_site__code", "photo", "created_at",
    "phone",
)  # fmt: skip
# The last run of the finder: (what it ran on, the pairs found as (id, id, linked)).
_found_cache: dict[str, tuple[tuple[Any, ...], list[tuple[uuid.UUID, uuid.UUID, Linked]]]] = {}
_generation = 0  # bumped when rows arrive from another site (their versions may be older)


def duplicates_forget(_ids: Any = None) -> None:
    """Forget the finder's last run (rows of persons arrived from another site)."""
    global _generation
    _generation += 1
    _found_cache.clear()


def _registry_state() -> tuple[Any, ...]:
    people = Person.objects.order_by().aggregate(top=Max("version"), n=Count("id"))
    events = StatusEvent.objects.order_by().aggregate(top=Max("version"))
    return (
        connection.settings_dict["NAME"],
        people["top"],
        people["n"],
        events["top"],
        _generation,
    )


def _links() -> list[tuple[uuid.UUID, uuid.UUID, Linked]]:
    """Every probable pair of live records, most likely first; computed once per state of the
    registry (a registration, a change or a move starts again)."""
    state = _registry_state()
    cached = _found_cache.get("links")
    if cached is not None and cached[0] == state:
        return cached[1]
    rows = list(Person.objects.alive().order_by().values_list(*_FINDER_FIELDS))
    records = []
    ids: list[uuid.UUID] = []
    for row, (
        pk,
        given,
        family,
        others,
        sex,
        born,
        estimated,
        household,
        site,
        photo,
        _photo_row,
        phone,
    ) in enumerate(rows):
        names = [given, family, *(others or [])]
        tokens, labels = record_names(names)
        ids.append(pk)
        records.append(
            LinkRecord(
                row=row,
                name=tokens,
                labels=labels,
                placeholder=name_is_placeholder(names),
                born=born,
                born_estimated=bool(estimated),
                sex=sex if sex in (Sex.FEMALE, Sex.MALE) else None,
                household=str(household) if household else None,
                site=site or None,
                photo=bool(photo),
                phone=phone_digits(phone),
            )
        )
    found = [
        (ids[a.row], ids[b.row], linked)
        for a, b, linked in links_find(records, today=timezone.localdate())
    ]
    _found_cache["links"] = (state, found)
    return found


def _decided_pairs() -> set[tuple[str, str]]:
    return {
        (str(a), str(b)) if str(a) < str(b) else (str(b), str(a))
        for a, b in DuplicateDecision.objects.alive().values_list("first_id", "second_id")
    }


def duplicates_all(*, actor: Actor | None) -> list[DuplicatePair]:
    """Every probable duplicate pair not yet decided, most likely first, with the reasons.

    The finder is `matching.linkage` (blocking, the evidence weighed, a calibrated
    likelihood); a pair decided "not the same person" is never proposed again."""
    permission_require(actor, "people.merge_person", doing=_("look for duplicate records"))
    links = _links()
    decided = _decided_pairs()
    kept = []
    for a, b, linked in links:
        x, y = str(a), str(b)
        if ((x, y) if x < y else (y, x)) not in decided:
            kept.append((a, b, linked))
    people = (
        Person.objects.alive()
        .select_related("current_site")
        .in_bulk(list({pk for a, b, _ in kept for pk in (a, b)}))
    )
    found = []
    for a, b, linked in kept:
        if a not in people or b not in people:
            continue
        first, second = sorted((people[a], people[b]), key=lambda p: (p.created_at, str(p.pk)))
        found.append(DuplicatePair(first, second, round(linked.likelihood, 4), linked.reasons))
    return found


def duplicate_pair_get(*, actor: Actor | None, first: Any, second: Any) -> DuplicatePair:
    """The proposed pair of these two records (either order); 404 when it is not proposed
    (decided already, merged, or not likely)."""
    for pair in duplicates_all(actor=actor):
        if {str(pair.first.pk), str(pair.second.pk)} == {str(first), str(second)}:
            return pair
    raise NotFound(_("this pair is not proposed as a duplicate (decided already, or not likely)"))
