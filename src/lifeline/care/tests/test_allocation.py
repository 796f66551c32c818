"""The scarce-medicine allocation rule (care/allocation.py), without a database."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifeline.care import allocation as a

D = Decimal
T0 = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)


def _c(
    key: str,
    category: str = a.DELAYED,
    need: int = 10,
    benefit: str = a.MEDIUM,
    waited_hours: int | None = 1,
    age: int | None = 40,
) -> a.Candidate:
    since = None if waited_hours is None else T0 - dt.timedelta(hours=waited_hours)
    return a.Candidate(
        key=key,
        category=category,
        need=D(need),
        benefit=benefit,
        waiting_since=since,
        age_years=age,
    )


def _given(result: a.Allocation) -> dict[str, Decimal]:
    return {o.key: o.quantity for o in result.outcomes}


def test_when_stock_is_enough_everyone_queued_gets_a_full_course() -> None:
    result = a.allocate([_c("p1"), _c("p2", a.MINOR)], D(20))
    assert _given(result) == {"p1": D(10), "p2": D(10)}
    assert not result.scarce


def test_immediate_patients_come_before_delayed_before_minor() -> None:
    result = a.allocate(
        [
            _c("m", a.MINOR, waited_hours=9),
            _c("d", a.DELAYED, waited_hours=5),
            _c("i", a.IMMEDIATE),
        ],
        D(20),
    )
    assert [o.key for o in result.outcomes] == ["i", "d", "m"]
    assert _given(result) == {"i": D(10), "d": D(10), "m": D(0)}
    assert result.outcome("m").reason == "stock ran out at rank 3: needs 10, 0 left"
    assert result.scarce


def test_expectant_and_dead_patients_get_none_and_say_why() -> None:
    result = a.allocate([_c("e", a.EXPECTANT), _c("x", a.DEAD)], D(100))
    assert _given(result) == {"e": D(0), "x": D(0)}
    assert result.outcome("e").reason.startswith("expectant")
    assert result.outcome("e").rank is None
    assert result.outcome("x").reason == "recorded dead"


def test_a_patient_not_triaged_yet_is_not_queued_and_cannot_be_given_by_override() -> None:
    result = a.allocate([_c("u", a.UNTRIAGED)], D(10))
    assert result.outcome("u").reason.startswith("not triaged yet")
    with pytest.raises(a.AllocationRefused, match="triage"):
        a.allocate([_c("u", a.UNTRIAGED)], D(10), overrides=[a.Override("u", a.GIVE, "r")])


def test_within_a_category_higher_expected_benefit_comes_first() -> None:
    result = a.allocate(
        [_c("low", benefit=a.LOW, waited_hours=9), _c("high", benefit=a.HIGH)], D(10)
    )
    assert _given(result) == {"high": D(10), "low": D(0)}


def test_with_equal_benefit_the_longest_waiting_comes_first() -> None:
    result = a.allocate([_c("new", waited_hours=1), _c("old", waited_hours=6)], D(10))
    assert _given(result) == {"old": D(10), "new": D(0)}


def test_the_patient_id_breaks_every_remaining_tie() -> None:
    result = a.allocate([_c("b"), _c("a")], D(10))
    assert _given(result) == {"a": D(10), "b": D(0)}


def test_children_come_first_within_their_category_only_where_the_site_says_so() -> None:
    patients = [_c("adult", waited_hours=8), _c("child", age=7), _c("minor-child", a.MINOR, age=5)]
    assert _given(a.allocate(patients, D(10)))["adult"] == D(10)
    first = a.allocate(patients, D(10), children_first=True)
    assert _given(first) == {"child": D(10), "adult": D(0), "minor-child": D(0)}


def test_only_full_courses_are_given_and_the_walk_stops_at_the_first_that_does_not_fit() -> None:
    # p2 needs more than is left: p3's smaller course waits too (a strict queue).
    result = a.allocate(
        [
            _c("p1", need=10, waited_hours=3),
            _c("p2", need=8, waited_hours=2),
            _c("p3", need=2, waited_hours=1),
        ],
        D(15),
    )
    assert _given(result) == {"p1": D(10), "p2": D(0), "p3": D(0)}
    assert result.outcome("p2").reason == "stock ran out at rank 2: needs 8, 5 left"
    assert result.outcome("p3").reason == "stock ran out at rank 2"
    assert result.left == D(5)
    assert result.notes and "5 left over" in result.notes[0]


def test_a_partial_course_is_given_only_when_asked_for() -> None:
    result = a.allocate([_c("p1", waited_hours=2), _c("p2")], D(15), partial=True)
    assert _given(result) == {"p1": D(10), "p2": D(5)}
    assert "partial course" in result.outcome("p2").reason


def test_an_override_gives_to_a_lower_category_patient_and_is_reported_as_a_jump() -> None:
    patients = [_c("i", a.IMMEDIATE), _c("m", a.MINOR)]
    result = a.allocate(patients, D(10), overrides=[a.Override("m", a.GIVE, "pregnant, sepsis")])
    assert _given(result) == {"m": D(10), "i": D(0)}
    assert result.outcome("m").reason == "given by override: pregnant, sepsis"
    assert a.category_jumps(result) == [a.Jump(served="m", passed_over="i")]


def test_the_rule_alone_makes_no_category_jump() -> None:
    result = a.allocate([_c("i", a.IMMEDIATE), _c("m", a.MINOR), _c("d")], D(15))
    assert a.category_jumps(result) == []


def test_an_override_can_give_an_expectant_patient_but_never_the_dead() -> None:
    result = a.allocate([_c("e", a.EXPECTANT)], D(10), overrides=[a.Override("e", a.GIVE, "x")])
    assert _given(result) == {"e": D(10)}
    with pytest.raises(a.AllocationRefused, match="dead"):
        a.allocate([_c("x", a.DEAD)], D(10), overrides=[a.Override("x", a.GIVE, "x")])


def test_an_override_withholds_with_its_reason() -> None:
    result = a.allocate(
        [_c("p1"), _c("p2")], D(20), overrides=[a.Override("p1", a.WITHHOLD, "allergic")]
    )
    assert _given(result) == {"p1": D(0), "p2": D(10)}
    assert result.outcome("p1").reason == "withheld by override: allergic"


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_without_a_reason_is_refused(reason: str) -> None:
    with pytest.raises(a.AllocationRefused, match="needs a reason"):
        a.allocate([_c("p1")], D(10), overrides=[a.Override("p1", a.GIVE, reason)])


def test_overrides_beyond_the_stock_are_refused() -> None:
    overrides = [a.Override("p1", a.GIVE, "r"), a.Override("p2", a.GIVE, "r")]
    with pytest.raises(a.AllocationRefused, match="more than is on hand"):
        a.allocate([_c("p1"), _c("p2")], D(15), overrides=overrides)


def test_an_override_for_someone_not_waiting_is_refused() -> None:
    with pytest.raises(a.AllocationRefused, match="not waiting"):
        a.allocate([_c("p1")], D(10), overrides=[a.Override("p9", a.GIVE, "r")])


# ---- properties ---------------------------------------------------------------------------

candidates = st.lists(
    st.builds(
        _c,
        key=st.text("abcdefgh", min_size=1, max_size=3),
        category=st.sampled_from(a.CATEGORIES),
        need=st.integers(min_value=1, max_value=20),
        benefit=st.sampled_from(a.BENEFITS),
        waited_hours=st.one_of(st.none(), st.integers(min_value=0, max_value=48)),
        age=st.one_of(st.none(), st.integers(min_value=0, max_value=90)),
    ),
    max_size=12,
    unique_by=lambda c: c.key,
)
stocks = st.integers(min_value=0, max_value=150).map(D)


@given(candidates, stocks, st.booleans(), st.booleans())
def test_never_allocates_more_than_the_stock(
    patients: list[a.Candidate], stock: Decimal, children: bool, partial: bool
) -> None:
    result = a.allocate(patients, stock, children_first=children, partial=partial)
    assert result.given <= stock
    assert all(o.quantity >= 0 for o in result.outcomes)
    assert {o.key for o in result.outcomes} == {c.key for c in patients}


@given(candidates, stocks, st.booleans())
def test_by_default_a_patient_gets_a_full_course_or_nothing(
    patients: list[a.Candidate], stock: Decimal, children: bool
) -> None:
    result = a.allocate(patients, stock, children_first=children)
    assert all(o.quantity in (0, o.need) for o in result.outcomes)


@given(candidates, stocks, st.booleans(), st.booleans())
def test_never_serves_a_lower_category_while_a_higher_one_goes_short(
    patients: list[a.Candidate], stock: Decimal, children: bool, partial: bool
) -> None:
    result = a.allocate(patients, stock, children_first=children, partial=partial)
    assert a.category_jumps(result) == []
    queued = [o for o in result.outcomes if o.category not in a.NOT_QUEUED]
    served = [o for o in queued if o.quantity > 0]
    short = [o for o in queued if o.quantity < o.need]
    # Directly, not through category_jumps: no one served is of a lower category than anyone
    # left short.
    for s in served:
        for t in short:
            assert a.CATEGORY_ORDER[s.category] <= a.CATEGORY_ORDER[t.category]
    for o in result.outcomes:
        if o.category in a.NOT_QUEUED:
            assert o.quantity == 0


@given(candidates, stocks, stocks, st.booleans(), st.booleans())
def test_more_stock_never_takes_medicine_from_anyone(
    patients: list[a.Candidate], s1: Decimal, s2: Decimal, children: bool, partial: bool
) -> None:
    low, high = sorted((s1, s2))
    less = _given(a.allocate(patients, low, children_first=children, partial=partial))
    more = _given(a.allocate(patients, high, children_first=children, partial=partial))
    assert all(more[key] >= less[key] for key in less)


@given(candidates, stocks, st.booleans(), st.randoms(use_true_random=False))
def test_the_same_patients_in_any_order_get_the_same_allocation(
    patients: list[a.Candidate], stock: Decimal, children: bool, rnd: random.Random
) -> None:
    shuffled = list(patients)
    rnd.shuffle(shuffled)
    assert a.allocate(patients, stock, children_first=children) == a.allocate(
        shuffled, stock, children_first=children
    )
