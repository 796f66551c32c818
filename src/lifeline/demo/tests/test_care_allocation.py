"""The demo's crate of antibiotics: not enough for every wounded, shared by a confirmed
allocation with one override and its reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lifeline.care.models import AllocationDecision, DoseGiven
from lifeline.care.treatments import selectors
from lifeline.demo.accounts import Cast
from lifeline.demo.care_allocation import CRATE_TABLETS, OVERRIDE_REASON
from lifeline.demo.loader import demo_load
from lifeline.supplies.models import Item, Location
from lifeline.supplies.selectors import on_hand_total

D = Decimal


@pytest.fixture
def loaded(cast: Cast) -> Cast:
    demo_load(cast=cast, population=0)
    return cast


def test_the_crate_is_not_enough_and_the_allocation_is_confirmed_with_one_override(
    loaded: Cast,
) -> None:
    decision = AllocationDecision.objects.get()
    assert decision.status == "overridden" and decision.decided_by == loaded.medic
    assert decision.stock == D(CRATE_TABLETS)
    view = selectors.allocation_get(actor=loaded.medic, decision_id=decision.pk)
    gets = {r.name.split()[0]: (r.quantity, r.reason) for r in view.rows}
    assert gets["Youssef"] == (D(0), f"withheld by override: {OVERRIDE_REASON}")
    assert [name for name, (quantity, _) in gets.items() if quantity] == [
        "Hassan",
        "Sami",
        "Maaz",
    ]
    assert gets["Omar"][1] == "stock ran out at rank 5: needs 21, 0 left"
    assert decision.jumps and decision.jumps[0]["passed_over"].startswith("Youssef")


def test_the_served_have_had_their_first_dose_from_the_infirmary_store(loaded: Cast) -> None:
    assert DoseGiven.objects.count() == 3
    infirmary = Location.objects.get(code="infirmary")
    amoxicillin = Item.objects.get(code="amoxicillin")
    assert on_hand_total(item=amoxicillin, location=infirmary) == D(CRATE_TABLETS - 3)


def test_a_second_load_adds_no_allocation(loaded: Cast) -> None:
    demo_load(cast=loaded, population=0)
    assert AllocationDecision.objects.count() == 1
