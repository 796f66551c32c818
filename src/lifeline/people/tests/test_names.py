"""The name rules: spellings of one name agree, look-alike names of other people do not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifeline.people.names import (
    ARTICLES,
    JOINING,
    NAME_MATCH,
    SUN_ARTICLES,
    Candidate,
    Probe,
    candidate_score,
    name_parse,
    name_similarity,
)


def similarity(a: str, b: str) -> float:
    return name_similarity(name_parse(a), name_parse(b)).score


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Layla", "Leila"),
        ("Layla", "Laila"),
        ("Layla", "ليلى"),
        ("Rachid", "Rashid"),
        ("Rachid", "Rasheed"),
        ("Rachid", "رشيد"),
        ("Soufiane", "Sofiane"),
        ("Soufiane", "Sufyan"),
        ("Abderrazak", "Abdul Razzaq"),
        ("Abderrazak", "Abderrazzaq"),
        ("Abderrazak", "عبد الرزاق"),
        ("Meriem", "Maryam"),
        ("Meriem", "Mariam"),
        ("Meriem", "مريم"),
        ("Ayoub", "Ayyub"),
        ("Ayoub", "Ayub"),
        ("Ayoub", "أيوب"),
        ("Said", "Saeed"),
        ("Mohamed", "Muhammad"),
        ("Mohamed", "محمد"),
        ("Abdelkader", "Abd al-Qadir"),
        ("Youssef", "Yusuf"),
        ("Oualid", "Walid"),
        ("Fatima", "فاطمة"),
        ("Aicha", "Aisha"),
        ("Benali", "Ben Ali"),
        ("Ibn Ali", "Bin Ali"),
        ("al-Hassan", "El Hassan"),
        ("Elhassan", "Hassan"),
        ("Ahmed", "Ahmet"),
    ],
)
def test_spellings_of_one_name_match(a: str, b: str) -> None:
    assert similarity(a, b) >= NAME_MATCH
    assert similarity(b, a) >= NAME_MATCH


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Karim", "Karima"),
        ("Rachid", "Rachida"),
        ("Amine", "Amina"),
        ("Said", "Saad"),
    ],
)
def test_look_alike_names_of_other_people_do_not_match(a: str, b: str) -> None:
    assert similarity(a, b) < NAME_MATCH


@pytest.mark.parametrize(
    ("variant", "other"),
    [("Leila", "Karima"), ("Rashid", "Rachida"), ("Amin", "Amina"), ("Saeed", "Saad")],
)
def test_a_true_variant_scores_above_a_look_alike(variant: str, other: str) -> None:
    base = {"Leila": "Layla", "Rashid": "Rachid", "Amin": "Amine", "Saeed": "Said"}[variant]
    assert similarity(base, variant) > similarity(base, other) + 0.2


def test_given_and_family_names_match_in_any_order() -> None:
    assert similarity("Haddad Layla", "Leila Haddad") >= 0.99
    assert name_similarity(name_parse("Haddad Layla"), name_parse("Leila Haddad")).order_swapped


def test_a_partial_name_finds_the_full_name_a_little_below_a_full_match() -> None:
    partial = similarity("Layla", "Leila Haddad")
    assert NAME_MATCH <= partial < similarity("Layla Haddad", "Leila Haddad")


def test_a_different_sex_lowers_the_score_of_the_same_name() -> None:
    probe = Probe(name_parse("Nour Haddad"), age=30, sex="female")
    same = candidate_score(probe, Candidate(name_parse("Noor Haddad"), age=31, sex="female"))
    other = candidate_score(probe, Candidate(name_parse("Noor Haddad"), age=31, sex="male"))
    assert same.score > other.score + 0.2
    assert "sex differs" in other.reasons


def test_the_reasons_name_the_spelling_that_matched() -> None:
    probe = Probe(name_parse("Rasheed Benali"), age=40, sex="male")
    scored = candidate_score(probe, Candidate(name_parse("Rachid Ben Ali"), age=41, sex="male"))
    assert any("spelling" in r or "matches" in r for r in scored.reasons)
    assert "age agrees" in scored.reasons and "sex agrees" in scored.reasons


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10)


# A particle (ben, abu, al, ...) belongs to the word after it, so reordering moves whole parts.
name_parts = st.builds(
    lambda particle, word: f"{particle} {word}" if particle else word,
    st.sampled_from(["", "", "", "ben", "abu", "al", "abdel"]),
    names.filter(lambda w: w not in JOINING | ARTICLES | SUN_ARTICLES),
)


@given(st.lists(name_parts, min_size=1, max_size=3))
def test_a_name_matches_itself_in_any_order(parts: list[str]) -> None:
    forward = " ".join(parts)
    backward = " ".join(reversed(parts))
    assert similarity(forward, backward) == pytest.approx(1.0)


@given(names, names)
def test_similarity_is_between_zero_and_one(a: str, b: str) -> None:
    assert 0.0 <= similarity(a, b) <= 1.0
