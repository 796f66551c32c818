"""The name index ranks by the very score the re-rank gives (names.candidate_match and its
rounding, candidate_score): one rule, whatever the names, scripts, repeats and gaps."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifeline.people.matching.index import IndexRecord, NameIndex
from lifeline.people.matching.names import (
    Candidate,
    Probe,
    candidate_match,
    candidate_score,
    name_parse,
    person_tokens,
)

YEAR = 2026
WORDS = [
    "Ahmad", "Ahmed", "Sherif", "Cherif", "Layla", "Leila", "ليلى", "Karim", "Karima", "Karimi",
    "Rachid", "Rasheed", "رشيد", "Ben Ali", "بن علي", "Abdel Kader", "Haddad", "الحداد", "Nour",
    "Nora", "Youssef", "Yusuf", "Mohamed", "Mohammed", "Abderr", "Tazi", "Idrissi",
]  # fmt: skip

word = st.sampled_from(WORDS)
# Names as registrars write them: one to three words, a word repeated now and then (Ahmad
# Ahmad Sherif), or nothing at all (a family name not known).
name = st.one_of(
    st.just(""),
    st.lists(word, min_size=1, max_size=3).map(" ".join),
    word.map(lambda w: f"{w} {w}"),
)
sex = st.sampled_from(["", "female", "male", "other"])
maybe = st.sampled_from([None, "a", "b"])
records = st.builds(
    lambda given_name, family, others, sex, born, household, site: IndexRecord(
        uuid.uuid4(), (given_name, family, *others), sex, born, household or "", site or ""
    ),
    name,
    name,
    st.lists(name, max_size=2),
    sex,
    st.one_of(st.none(), st.integers(1930, YEAR)),
    maybe,
    maybe,
)
probes = st.builds(
    Probe,
    name=st.lists(word, min_size=1, max_size=4).map(lambda ws: name_parse(" ".join(ws))),
    age=st.one_of(st.none(), st.integers(0, 100)),
    sex=st.sampled_from([None, "female", "male"]),
    household=maybe,
    site=maybe,
)


def candidate_of(record: IndexRecord) -> Candidate:
    """The record as the re-rank reads a person (its age from the year of birth)."""
    return Candidate(
        name=person_tokens(record.names),
        age=YEAR - record.birth_year if record.birth_year else None,
        sex=record.sex if record.sex in ("female", "male") else None,
        household=record.household or None,
        site=record.site or None,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, min_size=1, max_size=8), probes)
def test_the_index_scores_every_hit_as_candidate_score_does(
    people: list[IndexRecord], probe: Probe
) -> None:
    index = NameIndex().build(people)
    by_id = {r.person_id: r for r in people}
    for hit in index.search(probe, limit=len(people), year=YEAR):
        candidate = candidate_of(by_id[hit.person_id])
        exact = candidate_match(probe, candidate)
        assert abs(hit.score - exact.score) < 1e-9
        assert abs(hit.name_score - exact.name_score) < 1e-9
        shown = candidate_score(probe, candidate)
        assert round(hit.score, 4) == shown.score


@settings(max_examples=300, deadline=None)
@given(records, probes)
def test_the_vectorised_score_never_ranks_a_row_below_its_exact_score(
    record: IndexRecord, probe: Probe
) -> None:
    """The index picks whom to score exactly by an upper bound of the exact score (to the
    float32 precision of rapidfuzz's edit distances over the vocabulary)."""
    index = NameIndex().build([record])
    rows, _, bound, *_ = index._score(probe, index.candidates(probe.name), YEAR)
    if len(rows):
        assert bound[0] >= candidate_match(probe, candidate_of(record)).score - 1e-6


def test_a_name_written_twice_scores_alike_in_the_index_and_the_re_rank() -> None:
    """Ahmad Ahmad Sherif: both read the repeated name twice (0.27 apart when one did not)."""
    person = IndexRecord(uuid.uuid4(), ("Ahmad Ahmad", "Sherif"), "male", 1990)
    index = NameIndex().build([person])
    probe = Probe(name_parse("Ahmad Ahmad Sherif"), age=36, sex="male")
    [hit] = index.search(probe, year=YEAR)
    assert hit.score == candidate_match(probe, candidate_of(person)).score
    assert candidate_score(probe, candidate_of(person)).name_score == 1.0
