"""START and JumpSTART, branch by branch, with no database."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifeline.care.triage import (
    QUESTIONS,
    Algorithm,
    Avpu,
    Category,
    Question,
    algorithm_for,
    answer_coerce,
    category_final,
    triage_assess,
)

Q = Question
IMMEDIATE, DELAYED, MINOR, DEAD = (
    Category.IMMEDIATE,
    Category.DELAYED,
    Category.MINOR,
    Category.DEAD,
)
BREATHING = {Q.WALKS: False, Q.BREATHES: True}

# Every branch of START: the answers and the category with the questions asked on the way.
START_TABLE: list[tuple[str, dict[Question, Any], Category, list[Question]]] = [
    ("walks", {Q.WALKS: True}, MINOR, [Q.WALKS]),
    (
        "breathes once the airway is opened",
        {Q.WALKS: False, Q.BREATHES: False, Q.BREATHES_AFTER_AIRWAY: True},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.BREATHES_AFTER_AIRWAY],
    ),
    (
        "does not breathe with the airway open",
        {Q.WALKS: False, Q.BREATHES: False, Q.BREATHES_AFTER_AIRWAY: False},
        DEAD,
        [Q.WALKS, Q.BREATHES, Q.BREATHES_AFTER_AIRWAY],
    ),
    (
        "breathes over 30 a minute",
        {**BREATHING, Q.RESPIRATORY_RATE: 31},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE],
    ),
    (
        "breathes 30 a minute with no radial pulse",
        {**BREATHING, Q.RESPIRATORY_RATE: 30, Q.RADIAL_PULSE: False},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE, Q.RADIAL_PULSE],
    ),
    (
        "perfused but does not obey commands",
        {**BREATHING, Q.RESPIRATORY_RATE: 20, Q.RADIAL_PULSE: True, Q.OBEYS_COMMANDS: False},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE, Q.RADIAL_PULSE, Q.OBEYS_COMMANDS],
    ),
    (
        "perfused and obeys but cannot walk",
        {**BREATHING, Q.RESPIRATORY_RATE: 12, Q.RADIAL_PULSE: True, Q.OBEYS_COMMANDS: True},
        DELAYED,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE, Q.RADIAL_PULSE, Q.OBEYS_COMMANDS],
    ),
]
# START's perfusion by capillary refill, given instead of the pulse (it is not asked: the
# pulse is) or as well as it.
START_REFILL_TABLE: list[tuple[str, dict[Question, Any], Category, list[Question]]] = [
    (
        "refills in over two seconds, no pulse taken",
        {**BREATHING, Q.RESPIRATORY_RATE: 20, Q.CAPILLARY_REFILL: 2.5},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE, Q.CAPILLARY_REFILL],
    ),
    (
        "refills in two seconds, no pulse taken, obeys",
        {**BREATHING, Q.RESPIRATORY_RATE: 20, Q.CAPILLARY_REFILL: 2, Q.OBEYS_COMMANDS: True},
        DELAYED,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE, Q.CAPILLARY_REFILL, Q.OBEYS_COMMANDS],
    ),
    (
        "a radial pulse but refills in over two seconds",
        {**BREATHING, Q.RESPIRATORY_RATE: 20, Q.RADIAL_PULSE: True, Q.CAPILLARY_REFILL: 2.5},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE, Q.RADIAL_PULSE, Q.CAPILLARY_REFILL],
    ),
    (
        "no radial pulse whatever the refill",
        {**BREATHING, Q.RESPIRATORY_RATE: 20, Q.RADIAL_PULSE: False, Q.CAPILLARY_REFILL: 1},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE, Q.RADIAL_PULSE],
    ),
]

APNOEIC = {Q.WALKS: False, Q.BREATHES: False, Q.BREATHES_AFTER_AIRWAY: False}
_JS_FULL = [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE, Q.PERIPHERAL_PULSE, Q.AVPU]
JUMPSTART_TABLE: list[tuple[str, dict[Question, Any], Category, list[Question]]] = [
    ("walks", {Q.WALKS: True}, MINOR, [Q.WALKS]),
    (
        "breathes once the airway is positioned",
        {Q.WALKS: False, Q.BREATHES: False, Q.BREATHES_AFTER_AIRWAY: True},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.BREATHES_AFTER_AIRWAY],
    ),
    (
        "apnoeic with no pulse",
        {**APNOEIC, Q.PERIPHERAL_PULSE: False},
        DEAD,
        [Q.WALKS, Q.BREATHES, Q.BREATHES_AFTER_AIRWAY, Q.PERIPHERAL_PULSE],
    ),
    (
        "breathes after five rescue breaths",
        {**APNOEIC, Q.PERIPHERAL_PULSE: True, Q.BREATHES_AFTER_RESCUE_BREATHS: True},
        IMMEDIATE,
        [
            Q.WALKS,
            Q.BREATHES,
            Q.BREATHES_AFTER_AIRWAY,
            Q.PERIPHERAL_PULSE,
            Q.BREATHES_AFTER_RESCUE_BREATHS,
        ],
    ),
    (
        "apnoeic after five rescue breaths",
        {**APNOEIC, Q.PERIPHERAL_PULSE: True, Q.BREATHES_AFTER_RESCUE_BREATHS: False},
        DEAD,
        [
            Q.WALKS,
            Q.BREATHES,
            Q.BREATHES_AFTER_AIRWAY,
            Q.PERIPHERAL_PULSE,
            Q.BREATHES_AFTER_RESCUE_BREATHS,
        ],
    ),
    (
        "breathes under 15 a minute",
        {**BREATHING, Q.RESPIRATORY_RATE: 14},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE],
    ),
    (
        "breathes over 45 a minute",
        {**BREATHING, Q.RESPIRATORY_RATE: 46},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE],
    ),
    (
        "breathes 15 a minute with no palpable pulse",
        {**BREATHING, Q.RESPIRATORY_RATE: 15, Q.PERIPHERAL_PULSE: False},
        IMMEDIATE,
        [Q.WALKS, Q.BREATHES, Q.RESPIRATORY_RATE, Q.PERIPHERAL_PULSE],
    ),
    *[
        (
            f"breathes 45 a minute, pulse, AVPU {avpu.value}",
            {**BREATHING, Q.RESPIRATORY_RATE: 45, Q.PERIPHERAL_PULSE: True, Q.AVPU: avpu.value},
            category,
            _JS_FULL,
        )
        for avpu, category in [
            (Avpu.ALERT, DELAYED),
            (Avpu.VOICE, DELAYED),
            (Avpu.PAIN_APPROPRIATE, DELAYED),
            (Avpu.PAIN_INAPPROPRIATE, IMMEDIATE),
            (Avpu.UNRESPONSIVE, IMMEDIATE),
        ]
    ],
]


def _plain(answers: dict[Question, Any]) -> dict[str, Any]:
    return {q.value: a for q, a in answers.items()}


@pytest.mark.parametrize(
    ("answers", "category", "asked"),
    [row[1:] for row in START_TABLE],
    ids=[row[0] for row in START_TABLE],
)
def test_start_gives_the_category_of_each_branch_with_its_path(
    answers: dict[Question, Any], category: Category, asked: list[Question]
) -> None:
    outcome = triage_assess(Algorithm.START, _plain(answers))
    assert outcome.category == category
    assert [s.question for s in outcome.path] == asked
    assert outcome.next_question is None and outcome.reason


@pytest.mark.parametrize(
    ("answers", "category", "asked"),
    [row[1:] for row in START_REFILL_TABLE],
    ids=[row[0] for row in START_REFILL_TABLE],
)
def test_start_takes_the_capillary_refill_instead_of_or_beside_the_radial_pulse(
    answers: dict[Question, Any], category: Category, asked: list[Question]
) -> None:
    outcome = triage_assess(Algorithm.START, _plain(answers))
    assert outcome.category == category
    assert [s.question for s in outcome.path] == asked


@pytest.mark.parametrize(
    ("answers", "category", "asked"),
    [row[1:] for row in JUMPSTART_TABLE],
    ids=[row[0] for row in JUMPSTART_TABLE],
)
def test_jumpstart_gives_the_category_of_each_branch_with_its_path(
    answers: dict[Question, Any], category: Category, asked: list[Question]
) -> None:
    outcome = triage_assess(Algorithm.JUMPSTART, _plain(answers))
    assert outcome.category == category
    assert [s.question for s in outcome.path] == asked
    assert outcome.next_question is None and outcome.reason


@pytest.mark.parametrize(
    ("algorithm", "table"),
    [(Algorithm.START, START_TABLE), (Algorithm.JUMPSTART, JUMPSTART_TABLE)],
)
def test_each_prefix_of_a_path_asks_for_the_next_question_of_that_path(
    algorithm: Algorithm, table: list[tuple[str, dict[Question, Any], Category, list[Question]]]
) -> None:
    for _, answers, _, asked in table:
        for n in range(len(asked)):
            given_ = {q.value: answers[q] for q in asked[:n]}
            outcome = triage_assess(algorithm, given_)
            assert outcome.category is None
            assert outcome.next_question == asked[n]
            assert [s.question for s in outcome.path] == asked[:n]


def test_no_answers_asks_whether_the_patient_walks() -> None:
    outcome = triage_assess(Algorithm.START, {})
    assert outcome.next_question == Question.WALKS and not outcome.complete


def test_answers_the_path_did_not_need_are_left_out_of_it() -> None:
    outcome = triage_assess(Algorithm.START, {"walks": True, "respiratory_rate": 40})
    assert outcome.category == MINOR
    assert outcome.answers == {"walks": True}


@pytest.mark.parametrize(
    ("age", "looks_like_child", "algorithm"),
    [
        (None, None, Algorithm.START),
        (30, None, Algorithm.START),
        (9, None, Algorithm.START),
        (8, None, Algorithm.JUMPSTART),
        (7, None, Algorithm.JUMPSTART),
        (0, None, Algorithm.JUMPSTART),
        (12, True, Algorithm.JUMPSTART),
        (5, False, Algorithm.START),
        (None, True, Algorithm.JUMPSTART),
    ],
)
def test_jumpstart_is_for_children_by_age_unless_the_assessor_says_how_they_look(
    age: int | None, looks_like_child: bool | None, algorithm: Algorithm
) -> None:
    assert algorithm_for(age_years=age, looks_like_child=looks_like_child) == algorithm


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (Q.WALKS, "yes", True),
        (Q.WALKS, "no", False),
        (Q.WALKS, False, False),
        (Q.RESPIRATORY_RATE, "32", 32),
        (Q.CAPILLARY_REFILL, "2.5", 2.5),
        (Q.AVPU, "Alert", "alert"),
    ],
)
def test_answers_are_read_in_the_type_of_their_question(
    question: Question, raw: object, expected: object
) -> None:
    assert answer_coerce(question, raw) == expected


@pytest.mark.parametrize(
    ("question", "raw"),
    [
        (Q.WALKS, "maybe"),
        (Q.RESPIRATORY_RATE, "fast"),
        (Q.RESPIRATORY_RATE, 12.5),
        (Q.RESPIRATORY_RATE, 0),
        (Q.RESPIRATORY_RATE, 400),
        (Q.CAPILLARY_REFILL, -1),
        (Q.CAPILLARY_REFILL, True),
        (Q.AVPU, "drowsy"),
    ],
)
def test_answers_out_of_the_question_s_range_are_refused(question: Question, raw: object) -> None:
    with pytest.raises(ValueError):
        answer_coerce(question, raw)


def test_a_clinician_may_record_expectant_with_a_reason_but_not_for_the_dead() -> None:
    assert category_final(IMMEDIATE, expectant=True, reason="burns 90%") == (
        Category.EXPECTANT,
        [],
    )
    assert category_final(IMMEDIATE, expectant=True, reason=" ")[1]
    assert category_final(DEAD, expectant=True, reason="no")[1]
    assert category_final(DELAYED, expectant=False, reason="") == (DELAYED, [])


def _answer_strategy(question: Question) -> st.SearchStrategy[Any]:
    spec = QUESTIONS[question]
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    if spec.kind == "int":
        return st.integers(int(spec.minimum or 0), int(spec.maximum or 100))
    return st.floats(spec.minimum or 0, spec.maximum or 30, allow_nan=False)


complete_answers = st.fixed_dictionaries({q.value: _answer_strategy(q) for q in Question})


@given(algorithm=st.sampled_from(list(Algorithm)), answers=complete_answers)
def test_any_complete_answer_set_gives_exactly_one_category_of_the_algorithm(
    algorithm: Algorithm, answers: dict[str, Any]
) -> None:
    outcome = triage_assess(algorithm, answers)
    assert outcome.category in {IMMEDIATE, DELAYED, MINOR, DEAD}
    assert outcome.next_question is None


@given(algorithm=st.sampled_from(list(Algorithm)), answers=complete_answers)
def test_the_path_holds_only_questions_that_were_needed(
    algorithm: Algorithm, answers: dict[str, Any]
) -> None:
    outcome = triage_assess(algorithm, answers)
    asked = [s.question for s in outcome.path]
    assert len(asked) == len(set(asked))
    # The path's answers alone reach the same category ...
    again = triage_assess(algorithm, outcome.answers)
    assert again.category == outcome.category and again.path == outcome.path
    # ... and none of them can be left out, but for START's two signs of perfusion when
    # both were given: either one alone judges perfusion, so without the other the walk
    # never asks for it again (it ends, or goes on to commands).
    perfusion = {Question.RADIAL_PULSE, Question.CAPILLARY_REFILL}
    for question in asked:
        fewer = {k: v for k, v in outcome.answers.items() if k != question.value}
        if question in perfusion and perfusion <= set(asked):
            assert triage_assess(algorithm, fewer).next_question in (
                None,
                Question.OBEYS_COMMANDS,
            )
            continue
        assert triage_assess(algorithm, fewer).next_question == question
